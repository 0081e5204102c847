package io.caravan.ckanfiles;

/**
 * A file in CKAN's storage and the row that owns it: a resource's upload, an organization's or group's image, or a
 * user's avatar. Where CKAN keeps it (ckan/lib/uploader.py) and where Caravan puts it:
 * <pre>
 *   resource  resources/&lt;id[0:3]&gt;/&lt;id[3:6]&gt;/&lt;id[6:]&gt;   →  resources/&lt;resource id&gt;/&lt;file name&gt;
 *   group     storage/uploads/group/&lt;image_url&gt;            →  groups/&lt;group name&gt;/&lt;image_url&gt;
 *   user      storage/uploads/user/&lt;image_url&gt;             →  users/&lt;user name&gt;/&lt;image_url&gt;
 * </pre>
 * The file name of a resource is the last segment of its {@code url}, as CKAN stores it (already munged).
 *
 * @param ownerName a group's or user's name, a resource's dataset name
 * @param deleted   the owner (or a resource's dataset) is in state {@code deleted}
 * @param value     what the owner's column holds now: a resource's {@code url}, an {@code image_url}
 */
public record StoredFile(Owner owner, String ownerId, String ownerName, boolean deleted, String fileName,
                         String value) {

    /** The kinds of owner, with the table and column that name the file. */
    public enum Owner {
        RESOURCE("resources", "resource", "url"),
        GROUP("groups", "\"group\"", "image_url"),
        USER("users", "\"user\"", "image_url");

        private final String prefix;
        private final String table;
        private final String column;

        Owner(String prefix, String table, String column) {
            this.prefix = prefix;
            this.table = table;
            this.column = column;
        }

        public String table() {
            return table;
        }

        public String column() {
            return column;
        }

        static Owner ofKey(String key) {
            for (Owner o : values()) {
                if (key.startsWith(o.prefix + "/")) {
                    return o;
                }
            }
            throw new IllegalArgumentException("not a ckanfiles key: " + key);
        }
    }

    /** Relative to CKAN's {@code ckan.storage_path}. */
    public String storagePath() {
        return switch (owner) {
            case RESOURCE -> resourcePath(ownerId);
            case GROUP -> "storage/uploads/group/" + fileName;
            case USER -> "storage/uploads/user/" + fileName;
        };
    }

    /** The key at the target: by id for a resource (names change, ids do not), by name for the rest. */
    public String targetKey() {
        return owner.prefix + "/" + (owner == Owner.RESOURCE ? ownerId : ownerName) + "/" + fileName;
    }

    public String describe() {
        return switch (owner) {
            case RESOURCE -> "resource " + ownerId + " of dataset " + ownerName;
            case GROUP -> "organization or group " + ownerName;
            case USER -> "user " + ownerName;
        };
    }

    /** CKAN's layout of a resource's upload: its id cut after 3 and 6 characters. */
    public static String resourcePath(String id) {
        return "resources/" + id.substring(0, 3) + "/" + id.substring(3, 6) + "/" + id.substring(6);
    }

    /** The last segment of a URL or path. */
    static String lastSegment(String url) {
        String path = url;
        int query = path.indexOf('?');
        if (query >= 0) {
            path = path.substring(0, query);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }
}
