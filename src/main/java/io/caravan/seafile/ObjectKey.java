package io.caravan.seafile;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One Seafile object: its type, its library (repo id, or store id) and its 40-hex SHA-1 id. Caravan's item key is
 * {@code <type>/<repo>/<id>}; the filesystem backend keeps it at {@code <repo>/<id[0:2]>/<id[2:]>} under
 * {@code storage/<type>}, the S3 backend at {@code <repo>/<id>} in the type's bucket (Seafile's obj-backend-fs.c,
 * block-backend-fs.c and seafobj's backends).
 */
public record ObjectKey(ObjectType type, String repo, String id) {

    private static final Pattern ID = Pattern.compile("[0-9a-f]{40}");
    private static final Pattern REPO = Pattern.compile("[0-9A-Za-z-]{1,64}");

    public static ObjectKey ofItemKey(String key) {
        String[] parts = key.split("/", -1);
        if (parts.length != 3) {
            throw new IllegalArgumentException("not a Seafile item key: " + key);
        }
        return new ObjectKey(ObjectType.ofFolder(parts[0]), parts[1], parts[2]);
    }

    /** From a path relative to a type's folder, {@code <repo>/<2 hex>/<38 hex>}; empty if it is not one. */
    public static Optional<ObjectKey> ofFsPath(ObjectType type, String path) {
        String[] parts = path.split("/", -1);
        if (parts.length != 3 || parts[1].length() != 2) {
            return Optional.empty();
        }
        return of(type, parts[0], parts[1] + parts[2]);
    }

    /** From an S3 key in a type's bucket, {@code <repo>/<40 hex>}; empty if it is not one. */
    public static Optional<ObjectKey> ofS3Key(ObjectType type, String key) {
        String[] parts = key.split("/", -1);
        return parts.length == 2 ? of(type, parts[0], parts[1]) : Optional.empty();
    }

    private static Optional<ObjectKey> of(ObjectType type, String repo, String id) {
        return REPO.matcher(repo).matches() && ID.matcher(id).matches()
                ? Optional.of(new ObjectKey(type, repo, id)) : Optional.empty();
    }

    public String itemKey() {
        return type.folder() + "/" + repo + "/" + id;
    }

    public String fsPath() {
        return repo + "/" + id.substring(0, 2) + "/" + id.substring(2);
    }

    public String s3Key() {
        return repo + "/" + id;
    }

    /** "block 0ae2… of library 3f9e…", for messages. */
    public String describe() {
        return type.noun() + " " + id + " of library " + repo;
    }
}
