package io.caravan.silverstripe;

import io.caravan.silverstripe.shortcodes.AssetIndex;
import io.caravan.silverstripe.shortcodes.AssetRef;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** The File table as the shortcode rewriter looks files up: by SS4 FileFilename, exact, remembered a while. */
final class DatabaseAssetIndex implements AssetIndex {

    private static final int REMEMBERED = 10_000;

    private final SiteDatabase db;
    private final Map<String, Optional<AssetRef>> cache = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<AssetRef>> eldest) {
            return size() > REMEMBERED;
        }
    };

    DatabaseAssetIndex(SiteDatabase db) {
        this.db = db;
    }

    @Override
    public Optional<AssetRef> find(String filename) {
        synchronized (cache) {
            Optional<AssetRef> known = cache.get(filename);
            if (known != null) {
                return known;
            }
        }
        Optional<AssetRef> found = db.list("SELECT " + db.col("ID") + ", " + db.col("FileFilename") + ", "
                + db.col("FileHash") + " FROM " + db.file() + " WHERE " + db.col("FileFilename") + " = ? ORDER BY "
                + db.col("ID"), rs -> new AssetRef(rs.getLong(1), rs.getString(2), rs.getString(3)), filename)
                .stream().findFirst();
        synchronized (cache) {
            cache.put(filename, found);
        }
        return found;
    }
}
