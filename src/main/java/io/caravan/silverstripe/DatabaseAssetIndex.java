package io.caravan.silverstripe;

import io.caravan.silverstripe.shortcodes.AssetIndex;
import io.caravan.silverstripe.shortcodes.AssetLookup;
import io.caravan.silverstripe.shortcodes.AssetRef;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The File table as the shortcode rewriter looks files up: by SS4 FileFilename, exact first, else without regard to
 * case when only one row matches so; remembered a while. The rows are compared here, not by the database: MySQL's
 * usual collation takes {@code Report.pdf} and {@code report.pdf} for one name, PostgreSQL never does.
 */
final class DatabaseAssetIndex implements AssetIndex {

    private static final int REMEMBERED = 10_000;

    private final SiteDatabase db;
    private final Map<String, AssetLookup> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, AssetLookup> eldest) {
            return size() > REMEMBERED;
        }
    };

    DatabaseAssetIndex(SiteDatabase db) {
        this.db = db;
    }

    @Override
    public AssetLookup find(String filename) {
        synchronized (cache) {
            AssetLookup known = cache.get(filename);
            if (known != null) {
                return known;
            }
        }
        AssetLookup found = AssetLookup.choose(filename, db.list("SELECT " + db.col("ID") + ", "
                + db.col("FileFilename") + ", " + db.col("FileHash") + " FROM " + db.file() + " WHERE LOWER("
                + db.col("FileFilename") + ") = LOWER(?) ORDER BY " + db.col("ID"),
                rs -> new AssetRef(rs.getLong(1), rs.getString(2), rs.getString(3)), filename));
        synchronized (cache) {
            cache.put(filename, found);
        }
        return found;
    }
}
