package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;

import java.sql.SQLException;

/**
 * {@code fix-folder-permissions}: a Folder with no CanViewType (SS3 left it NULL or empty) gets {@code Inherit},
 * SilverStripe 4's default, in the draft and Live tables. Any other value is kept.
 */
public final class FixFolderPermissions implements Subtask {

    private final Site site;

    public FixFolderPermissions(Site site) {
        this.site = site;
    }

    @Override
    public String name() {
        return "fix-folder-permissions";
    }

    @Override
    public CloseableIterator<Item> work() {
        String col = site.db().col("CanViewType");
        return Listings.folders(site.db(), col + " IS NULL OR " + col + " = ''");
    }

    @Override
    public Outcome perform(String key, byte[] record) throws SQLException {
        FileRow row = FileRow.fromJson(record);
        SiteDatabase db = site.db();
        String col = db.col("CanViewType");
        int changed = db.inTransaction(c -> {
            int n = 0;
            for (String table : new String[] {db.file(), db.live()}) {
                n += SiteDatabase.update(c, "UPDATE " + table + " SET " + col + " = 'Inherit' WHERE "
                        + db.col("ID") + " = ? AND (" + col + " IS NULL OR " + col + " = '')", row.id());
            }
            return n;
        });
        return Outcome.of(changed > 0 ? "set to Inherit" : "already set");
    }
}
