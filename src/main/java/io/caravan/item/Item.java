package io.caravan.item;

import java.util.Map;

/**
 * One thing to migrate, as a source lists it. The body is not held here, but for a small record that the listing
 * already carries whole (a CKAN search result, a JSONL line): a source opens it on demand.
 *
 * @param key           stable identity at the source (relative path, object key)
 * @param fingerprint   what reveals a change (size and mtime for files, ETag for S3 objects)
 * @param size          content length in bytes
 * @param lastModified  epoch millis, used by age filters
 * @param problem       set when listing already knows the item cannot move (symlink loop, bad name);
 *                      the plan rejects such an item with this reason
 * @param record        the whole body when the listing carries it (a few KiB at most), else null
 */
public record Item(String key, String fingerprint, long size, long lastModified, String problem, byte[] record) {

    public static Item of(String key, String fingerprint, long size, long lastModified) {
        return new Item(key, fingerprint, size, lastModified, null, null);
    }

    /** A record listed whole: its body travels with it, so opening it costs no second request. */
    public static Item ofRecord(String key, String fingerprint, byte[] record) {
        return new Item(key, fingerprint, record.length, 0, null, record);
    }

    public static Item unusable(String key, String problem) {
        return new Item(key, null, 0, 0, problem, null);
    }

    public boolean isUsable() {
        return problem == null;
    }

    /** Content type and user metadata travel with the body, since listings rarely carry them. */
    public record Attributes(String contentType, Map<String, String> metadata) {
        public static final Attributes NONE = new Attributes(null, Map.of());
    }
}
