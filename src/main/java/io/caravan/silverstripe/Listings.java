package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;

/** The File table's listings the subtasks share, streamed in id order. */
final class Listings {

    private Listings() {
    }

    /** File rows (not folders) that have an SS3 path: the work of move-files, and what verify checks. */
    static CloseableIterator<FileRow> legacyFiles(SiteDatabase db) {
        return files(db, db.col("Filename"));
    }

    /** File rows (not folders) that have an SS4 FileFilename. */
    static CloseableIterator<FileRow> migratedFiles(SiteDatabase db) {
        return files(db, db.col("FileFilename"));
    }

    private static CloseableIterator<FileRow> files(SiteDatabase db, String setColumn) {
        String sql = "SELECT " + FileRow.columns(db) + " FROM " + db.file() + " WHERE " + setColumn
                + " IS NOT NULL AND " + setColumn + " <> '' ORDER BY " + db.col("ID");
        return db.stream(sql, rs -> {
            FileRow row = FileRow.of(rs);
            return FolderTree.isFolderClass(row.className()) ? null : row;
        });
    }

    /** Folder rows matching {@code condition} (SQL over the File table, may be empty), one item each. */
    static CloseableIterator<Item> folders(SiteDatabase db, String condition) {
        return CloseableIterator.filterMap(folderRows(db, condition), Listings::folderItem);
    }

    static CloseableIterator<FileRow> folderRows(SiteDatabase db, String condition) {
        String sql = "SELECT " + FileRow.columns(db) + " FROM " + db.file()
                + (condition.isEmpty() ? "" : " WHERE " + condition) + " ORDER BY " + db.col("ID");
        return db.stream(sql, rs -> {
            FileRow row = FileRow.of(rs);
            return FolderTree.isFolderClass(row.className()) ? row : null;
        });
    }

    /** A folder as a piece of work, fingerprinted by its CanViewType. */
    static Item folderItem(FileRow folder) {
        return Item.ofRecord("Folder/" + folder.id(), String.valueOf(folder.canViewType()), folder.toJson());
    }
}
