package io.caravan.target;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.s3.S3Errors;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import java.io.ByteArrayOutputStream;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Objects in a bucket under a prefix. Bodies up to the multipart threshold go in one PUT; larger ones in
 * parts of a fixed size, so a worker never holds more than one part. Every PUT carries Content-MD5 (the
 * server rejects a corrupted body) and the returned ETag is compared with the MD5 computed while reading.
 */
public class S3Target implements ItemTarget {

    private final S3Client client;
    private final String bucket;
    private final String prefix;
    private final long multipartThreshold;
    private final int partSize;

    public S3Target(S3Client client, String bucket, String prefix, long multipartThreshold, int partSize) {
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
    }

    @Override
    public void check() {
        S3Errors.checkBucket(client, bucket, "target");
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        try {
            return expectedSize > multipartThreshold
                    ? writeMultipart(prefix + targetKey, expectedSize, body, attributes, beforeCommit)
                    : writeSingle(prefix + targetKey, expectedSize, body, attributes, beforeCommit);
        } catch (SdkException e) {
            throw S3Errors.classify("put " + targetKey, e);
        }
    }

    private Written writeSingle(String key, long size, InputStream body, Item.Attributes attributes,
                                Runnable beforeCommit) {
        byte[] buffer = new byte[(int) size];
        BodyReader.readFully(body, buffer, buffer.length, size);
        BodyReader.expectEnd(body, size);
        beforeCommit.run();
        byte[] digest = Md5.newDigest().digest(buffer);
        String etag = client.putObject(r -> r.bucket(bucket).key(key)
                        .contentMD5(Base64.getEncoder().encodeToString(digest))
                        .contentType(attributes.contentType()).metadata(attributes.metadata()),
                RequestBody.fromBytes(buffer)).eTag();
        String md5 = Md5.hex(digest);
        if (!md5.equals(Md5.unquote(etag))) {
            throw new ItemRejectedException("verify", "target reports ETag " + etag + " for " + key
                    + ", content MD5 is " + md5);
        }
        return new Written(md5, size);
    }

    private Written writeMultipart(String key, long size, InputStream body, Item.Attributes attributes,
                                   Runnable beforeCommit) {
        String uploadId = client.createMultipartUpload(r -> r.bucket(bucket).key(key)
                .contentType(attributes.contentType()).metadata(attributes.metadata())).uploadId();
        try {
            var whole = Md5.newDigest();
            ByteArrayOutputStream partDigests = new ByteArrayOutputStream();
            List<CompletedPart> parts = new ArrayList<>();
            byte[] buffer = new byte[(int) Math.min(partSize, size)];
            long remaining = size;
            for (int number = 1; remaining > 0; number++) {
                int length = (int) Math.min(buffer.length, remaining);
                BodyReader.readFully(body, buffer, length, size);
                whole.update(buffer, 0, length);
                var partDigest = Md5.newDigest();
                partDigest.update(buffer, 0, length);
                byte[] digest = partDigest.digest();
                partDigests.writeBytes(digest);
                int partNumber = number;
                String etag = client.uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(partNumber).contentLength((long) length)
                                .contentMD5(Base64.getEncoder().encodeToString(digest)),
                        RequestBody.fromInputStream(new ByteArrayInputStream(buffer, 0, length), length))
                        .eTag();
                if (!Md5.hex(digest).equals(Md5.unquote(etag))) {
                    throw new ItemRejectedException("verify", "target reports ETag " + etag + " for part "
                            + partNumber + " of " + key);
                }
                parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
                remaining -= length;
            }
            BodyReader.expectEnd(body, size);
            beforeCommit.run();
            String etag = client.completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();
            String expected = Md5.hex(Md5.newDigest().digest(partDigests.toByteArray())) + "-" + parts.size();
            if (!expected.equals(Md5.unquote(etag))) {
                throw new ItemRejectedException("verify", "target reports ETag " + etag + " for " + key
                        + ", expected " + expected);
            }
            return new Written(Md5.hex(whole.digest()), size);
        } catch (RuntimeException e) {
            abort(key, uploadId);
            throw e;
        }
    }

    private void abort(String key, String uploadId) {
        try {
            client.abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the bucket's lifecycle rule for incomplete uploads cleans what this could not
        }
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        try {
            HeadObjectResponse head = client.headObject(r -> r.bucket(bucket).key(prefix + targetKey));
            return Optional.of(new Entry(targetKey, head.contentLength(), plainMd5(head.eTag())));
        } catch (NoSuchKeyException e) {
            return Optional.empty();
        } catch (S3Exception e) {
            if (e.statusCode() == 404) {
                return Optional.empty();
            }
            throw S3Errors.classify("head " + targetKey, e);
        }
    }

    /** A multipart ETag ("md5-of-md5s-N") is not the content's MD5. */
    private static String plainMd5(String etag) {
        String tag = Md5.unquote(etag);
        return tag == null || tag.contains("-") ? null : tag;
    }

    @Override
    public CloseableIterator<Entry> list(String under) {
        var objects = client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix + under)).contents().iterator();
        return CloseableIterator.filterMap(CloseableIterator.of(objects, () -> { }),
                o -> new Entry(o.key().substring(prefix.length()), o.size(), plainMd5(o.eTag())));
    }

    @Override
    public InputStream read(String targetKey) {
        return client.getObject(r -> r.bucket(bucket).key(prefix + targetKey));
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }
}
