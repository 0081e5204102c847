package io.caravan.item;

import java.util.Map;

/**
 * One thing to migrate, as a source lists it. The body is never held here: a source opens it on demand.
 *
 * @param key           stable identity at the source (relative path, object key)
 * @param fingerprint   what reveals a change (size and mtime for files, ETag for S3 objects)
 * @param size          content length in bytes
 * @param lastModified  epoch millis, used by age filters
 * @param problem       set when listing already knows the item cannot move (symlink loop, bad name);
 *                      the plan rejects such an item with this reason
 */
public record Item(String key, String fingerprint, long size, long lastModified, String problem) {

    public static Item of(String key, String fingerprint, long size, long lastModified) {
        return new Item(key, fingerprint, size, lastModified, null);
    }

    public static Item unusable(String key, String problem) {
        return new Item(key, null, 0, 0, problem);
    }

    public boolean isUsable() {
        return problem == null;
    }

    /** Content type and user metadata travel with the body, since listings rarely carry them. */
    public record Attributes(String contentType, Map<String, String> metadata) {
        public static final Attributes NONE = new Attributes(null, Map.of());
    }
}
