package io.caravan.seafile;

import io.caravan.s3.S3Settings;

import java.nio.file.Path;

/** Where one object type is kept: a folder (Seafile's {@code storage/<type>}) or an S3 bucket. */
public sealed interface Backend {

    String describe();

    /** @param folder the type's own folder, holding {@code <repo>/<2 hex>/<38 hex>} */
    record Folder(Path folder) implements Backend {
        @Override
        public String describe() {
            return "folder " + folder;
        }
    }

    /** @param s3 the service and credentials (never printed: S3Settings hides them) */
    record Bucket(String bucket, S3Settings s3) implements Backend {
        @Override
        public String describe() {
            return "s3://" + bucket + (s3.endpoint().isEmpty() ? "" : " at " + s3.endpoint());
        }
    }
}
