package io.caravan.target;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Futures;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.s3.S3Errors;
import io.caravan.transfer.BufferBudget;
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
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

/**
 * Objects in a bucket, at the target keys the key mapper made (target prefix included). Bodies up to the multipart threshold go in one PUT; larger ones in
 * parts of a fixed size, so a worker never holds more than one part. Every PUT carries Content-MD5 (the
 * server rejects a corrupted body) and the returned ETag is compared with the MD5 computed while reading.
 */
public class S3Target implements ItemTarget {

    private final Supplier<S3Client> connect;
    private volatile S3Client client;
    private final String endpoint;
    private final String bucket;
    private final long multipartThreshold;
    private final int partSize;
    private final int partConcurrency;
    private final BufferBudget budget;
    private final ExecutorService partUploads;

    /** @param connect makes the client, when the target is first used */
    public S3Target(Supplier<S3Client> connect, String endpoint, String bucket, long multipartThreshold, int partSize,
                    int partConcurrency, BufferBudget budget) {
        this.connect = connect;
        this.endpoint = endpoint;
        this.bucket = bucket;
        this.multipartThreshold = multipartThreshold;
        this.partSize = partSize;
        this.partConcurrency = Math.max(1, partConcurrency);
        this.budget = budget;
        // threads come and go with large files; the semaphores and the budget bound how many work at once
        this.partUploads = Executors.newCachedThreadPool(r -> {
            Thread t = new Thread(r, "s3-part-upload");
            t.setDaemon(true);
            return t;
        });
    }

    @Override
    public void check() {
        client();
    }

    /** {@code caravan run} leaves the check to the first item that needs the bucket: see {@link #client()}. */
    @Override
    public boolean checksWhenFirstUsed() {
        return true;
    }

    /**
     * The client, made and its bucket checked on first use, so a run with nothing to write (an unchanged rerun) never
     * connects: making the SDK's client and asking for the bucket took a tenth of such a rerun. A bucket that cannot
     * be used stops the job, at its first item, with the reason; the next use tries again (a resident job's next
     * run may find it fixed).
     */
    private S3Client client() {
        S3Client made = client;
        if (made != null) {
            return made;
        }
        synchronized (this) {
            if (client == null) {
                made = connect.get();
                try {
                    S3Errors.checkBucket(made, bucket, "target");
                } catch (RuntimeException e) {
                    made.close();
                    throw e;
                }
                client = made;
            }
            return client;
        }
    }

    @Override
    public Written write(String targetKey, long expectedSize, InputStream body, Item.Attributes attributes,
                         Runnable beforeCommit) {
        try {
            return expectedSize > multipartThreshold
                    ? writeMultipart(targetKey, expectedSize, body, attributes, beforeCommit)
                    : writeSingle(targetKey, expectedSize, body, attributes, beforeCommit);
        } catch (SdkException e) {
            throw S3Errors.classify("put " + targetKey, e);
        }
    }

    private Written writeSingle(String key, long size, InputStream body, Item.Attributes attributes,
                                Runnable beforeCommit) {
        try (BufferBudget.Lease room = budget.acquire(size)) {
            byte[] buffer = new byte[(int) size];
            BodyReader.readFully(body, buffer, buffer.length, size);
            BodyReader.expectEnd(body, size);
            beforeCommit.run();
            byte[] digest = Md5.newDigest().digest(buffer);
            String etag = client().putObject(r -> r.bucket(bucket).key(key)
                            .contentMD5(Base64.getEncoder().encodeToString(digest))
                            .contentType(attributes.contentType()).metadata(attributes.metadata()),
                    bodyOf(buffer, buffer.length)).eTag();
            String md5 = Md5.hex(digest);
            if (!md5.equals(Md5.unquote(etag))) {
                throw new ItemRejectedException("verify", "target reports ETag " + etag + " for " + key
                        + ", content MD5 is " + md5);
            }
            return new Written(md5, size);
        }
    }

    /** The SDK may read a body twice (signing, a retry): it gets a fresh stream over the same bytes, no copy. */
    private static RequestBody bodyOf(byte[] buffer, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(buffer, 0, length), length,
                "application/octet-stream");
    }

    /**
     * Parts are read in order (the whole-content MD5 needs them so) and uploaded up to {@code partConcurrency}
     * at a time, each buffer taken from the job's memory budget. A part's own MD5 is computed by its upload, so
     * the reading thread hashes each byte once.
     */
    private Written writeMultipart(String key, long size, InputStream body, Item.Attributes attributes,
                                   Runnable beforeCommit) {
        String uploadId = client().createMultipartUpload(r -> r.bucket(bucket).key(key)
                .contentType(attributes.contentType()).metadata(attributes.metadata())).uploadId();
        Semaphore inFlight = new Semaphore(partConcurrency);
        List<Future<UploadedPart>> uploads = new ArrayList<>();
        try {
            MessageDigest whole = Md5.newDigest();
            long remaining = size;
            for (int number = 1; remaining > 0; number++) {
                int length = (int) Math.min(partSize, remaining);
                acquire(inFlight);
                BufferBudget.Lease room = budget.acquire(length);
                try {
                    byte[] buffer = new byte[length];
                    BodyReader.readFully(body, buffer, length, size);
                    whole.update(buffer);
                    uploads.add(partUploads.submit(uploadPart(key, uploadId, number, buffer, room, inFlight)));
                } catch (RuntimeException e) {
                    room.close();
                    inFlight.release();
                    throw e;
                }
                remaining -= length;
            }
            BodyReader.expectEnd(body, size);
            List<CompletedPart> parts = new ArrayList<>();
            ByteArrayOutputStream partDigests = new ByteArrayOutputStream();
            for (Future<UploadedPart> upload : uploads) {
                UploadedPart part = Futures.await(upload, "a part's upload");
                parts.add(part.completed());
                partDigests.writeBytes(part.md5());
            }
            beforeCommit.run();
            String etag = client().completeMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                    .multipartUpload(m -> m.parts(parts))).eTag();
            String expected = Md5.hex(Md5.newDigest().digest(partDigests.toByteArray())) + "-" + parts.size();
            if (!expected.equals(Md5.unquote(etag))) {
                throw new ItemRejectedException("verify", "target reports ETag " + etag + " for " + key
                        + ", expected " + expected);
            }
            return new Written(Md5.hex(whole.digest()), size);
        } catch (RuntimeException e) {
            uploads.forEach(u -> u.cancel(true));
            abort(key, uploadId);
            throw e;
        }
    }

    private record UploadedPart(CompletedPart completed, byte[] md5) {
    }

    private Callable<UploadedPart> uploadPart(String key, String uploadId, int number, byte[] buffer,
                                              BufferBudget.Lease room, Semaphore inFlight) {
        return () -> {
            try {
                byte[] digest = Md5.newDigest().digest(buffer);
                String etag = client().uploadPart(r -> r.bucket(bucket).key(key).uploadId(uploadId)
                                .partNumber(number).contentLength((long) buffer.length)
                                .contentMD5(Base64.getEncoder().encodeToString(digest)),
                        bodyOf(buffer, buffer.length)).eTag();
                if (!Md5.hex(digest).equals(Md5.unquote(etag))) {
                    throw new ItemRejectedException("verify", "target reports ETag " + etag + " for part "
                            + number + " of " + key);
                }
                return new UploadedPart(CompletedPart.builder().partNumber(number).eTag(etag).build(), digest);
            } catch (SdkException e) {
                throw S3Errors.classify("put part " + number + " of " + key, e);
            } finally {
                room.close();
                inFlight.release();
            }
        };
    }

    private static void acquire(Semaphore semaphore) {
        try {
            semaphore.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted during a multipart upload", e);
        }
    }

    private void abort(String key, String uploadId) {
        try {
            client().abortMultipartUpload(r -> r.bucket(bucket).key(key).uploadId(uploadId));
        } catch (SdkException ignored) {
            // the bucket's lifecycle rule for incomplete uploads cleans what this could not
        }
    }

    @Override
    public Optional<Entry> stat(String targetKey) {
        try {
            HeadObjectResponse head = client().headObject(r -> r.bucket(bucket).key(targetKey));
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

    /** The bucket's unfinished multipart uploads under the prefix: S3 keeps their parts, and bills them. */
    @Override
    public CloseableIterator<Leftover> leftovers(String under) {
        var uploads = client().listMultipartUploadsPaginator(r -> r.bucket(bucket).prefix(under)).uploads().iterator();
        return CloseableIterator.filterMap(CloseableIterator.of(uploads, () -> { }), u -> new Leftover(u.key(),
                "an unfinished multipart upload (id " + u.uploadId() + ", begun " + u.initiated() + "), left by a"
                        + " write cut short unless a run is under way: S3 keeps its parts, and bills them, until it is"
                        + " aborted (aws s3api abort-multipart-upload, or a lifecycle rule"
                        + " AbortIncompleteMultipartUpload)"));
    }

    @Override
    public CloseableIterator<Entry> list(String under) {
        var objects = client().listObjectsV2Paginator(r -> r.bucket(bucket).prefix(under)).contents().iterator();
        return CloseableIterator.filterMap(CloseableIterator.of(objects, () -> { }),
                o -> new Entry(o.key(), o.size(), plainMd5(o.eTag())));
    }

    @Override
    public InputStream read(String targetKey) {
        return client().getObject(r -> r.bucket(bucket).key(targetKey));
    }

    @Override
    public String describe() {
        return "s3://" + bucket;
    }

    /** The bucket; the job's {@code target.prefix} is added to it by the job, which puts it before every key. */
    @Override
    public String identity() {
        return Identities.s3(endpoint, bucket, "");
    }

    @Override
    public void close() {
        partUploads.shutdownNow();
        S3Client made = client;
        if (made != null) {
            made.close();
        }
    }
}
