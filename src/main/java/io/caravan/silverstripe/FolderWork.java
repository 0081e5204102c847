package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;

/** Listings of Folder rows that the folder subtasks share. */
final class FolderWork {

    private FolderWork() {
    }

    /** Folder rows matching {@code condition} (SQL over the File table, may be empty), one item each. */
    static CloseableIterator<Item> folders(Site site, String condition, Object... params) {
        SiteDatabase db = site.db();
        String sql = "SELECT " + FileRow.columns(db) + " FROM " + db.file()
                + (condition.isEmpty() ? "" : " WHERE " + condition) + " ORDER BY " + db.col("ID");
        return db.stream(sql, rs -> {
            FileRow row = FileRow.of(rs);
            return FolderTree.isFolderClass(row.className())
                    ? Item.ofRecord("Folder/" + row.id(), String.valueOf(row.canViewType()), row.toJson()) : null;
        }, params);
    }
}
