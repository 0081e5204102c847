package io.caravan.silverstripe;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;

import java.sql.SQLException;

/**
 * {@code migrate-folders}: publishes every Folder row that has no Live copy yet, as SilverStripe 4 versions folders
 * too. Database only; folders on disk are left as they are.
 */
public final class MigrateFolders implements Subtask {

    private final Site site;

    public MigrateFolders(Site site) {
        this.site = site;
    }

    @Override
    public String name() {
        return "migrate-folders";
    }

    @Override
    public CloseableIterator<Item> work() {
        SiteDatabase db = site.db();
        return Listings.folders(db, "NOT EXISTS (SELECT 1 FROM " + db.live() + " l WHERE l." + db.col("ID")
                + " = " + db.file() + "." + db.col("ID") + ")");
    }

    @Override
    public Outcome perform(String key, byte[] record) throws SQLException {
        FileRow row = FileRow.fromJson(record);
        site.db().inTransaction(c -> {
            site.db().publish(c, row.id());
            return null;
        });
        return Outcome.of("published");
    }
}
