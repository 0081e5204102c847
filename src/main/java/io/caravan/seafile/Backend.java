package io.caravan.seafile;

import io.caravan.item.Identities;
import io.caravan.s3.S3Settings;

import java.nio.file.Path;
import java.util.Optional;

/**
 * Where one object type is kept, a folder (Seafile's {@code storage/<type>}) or an S3 bucket, and how that backend
 * names an object: {@code <repo>/<id[0:2]>/<id[2:]>} in a folder, {@code <repo>/<id>} in a bucket.
 */
public sealed interface Backend {

    String describe();

    /** Where the backend is, as a ledger scope names it. */
    String identity();

    /** The object's path in a folder, or key in a bucket. */
    String nativeKey(ObjectKey key);

    /** The object at a path or key of this backend; empty when it is not at a Seafile object path. */
    Optional<ObjectKey> objectAt(ObjectType type, String nativeKey);

    /** What {@link #objectAt} expects, for messages. */
    String layout();

    /** @param folder the type's own folder, holding {@code <repo>/<2 hex>/<38 hex>} */
    record Folder(Path folder) implements Backend {
        @Override
        public String describe() {
            return "folder " + folder;
        }

        @Override
        public String identity() {
            return Identities.folder(folder);
        }

        @Override
        public String nativeKey(ObjectKey key) {
            return key.fsPath();
        }

        @Override
        public Optional<ObjectKey> objectAt(ObjectType type, String nativeKey) {
            return ObjectKey.ofFsPath(type, nativeKey);
        }

        @Override
        public String layout() {
            return "<library>/<2 hex>/<38 hex>";
        }
    }

    /** @param s3 the service and credentials (never printed: S3Settings hides them) */
    record Bucket(String bucket, S3Settings s3) implements Backend {
        @Override
        public String describe() {
            return "s3://" + bucket + (s3.endpoint().isEmpty() ? "" : " at " + s3.endpoint());
        }

        @Override
        public String identity() {
            return Identities.s3(s3.endpoint(), bucket, "");
        }

        @Override
        public String nativeKey(ObjectKey key) {
            return key.s3Key();
        }

        @Override
        public Optional<ObjectKey> objectAt(ObjectType type, String nativeKey) {
            return ObjectKey.ofS3Key(type, nativeKey);
        }

        @Override
        public String layout() {
            return "<library>/<40 hex>";
        }
    }
}
