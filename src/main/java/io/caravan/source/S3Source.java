package io.caravan.source;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.item.RetryableException;
import io.caravan.s3.S3Errors;
import io.caravan.target.Md5;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;

import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.Iterator;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Objects of a bucket under a prefix; an item's key is the object key without the prefix and its
 * fingerprint is the ETag. Listing pages through ListObjectsV2 lazily, one page at a time.
 */
public class S3Source implements ItemSource {

    private static final Pattern MD5_HEX = Pattern.compile("[0-9a-f]{32}");

    private final S3Client client;
    private boolean checkEtags = true;
    private final String endpoint;
    private final String bucket;
    private final String prefix;

    /** @param endpoint the S3-compatible server's URL, empty for AWS: for the identity only */
    /**
     * Whether a download's bytes are held to the object's ETag where that is an MD5 (true unless told otherwise: a
     * server whose single-part ETags are not their content's MD5).
     */
    public S3Source checkEtags(boolean check) {
        this.checkEtags = check;
        return this;
    }

    public S3Source(S3Client client, String endpoint, String bucket, String prefix) {
        this.endpoint = endpoint;
        this.client = client;
        this.bucket = bucket;
        this.prefix = prefix == null ? "" : prefix;
    }

    @Override
    public void check() {
        S3Errors.checkBucket(client, bucket, "source");
    }

    @Override
    public CloseableIterator<Item> list() {
        Iterator<S3Object> objects = client.listObjectsV2Paginator(r -> r.bucket(bucket).prefix(prefix))
                .contents().iterator();
        return CloseableIterator.filterMap(CloseableIterator.of(objects, () -> { }),
                o -> o.key().endsWith("/") && o.size() == 0 ? null // folder markers carry nothing
                        : Item.of(o.key().substring(prefix.length()), o.eTag(), o.size(),
                        o.lastModified().toEpochMilli()));
    }

    @Override
    public Content open(Item item) {
        try {
            ResponseInputStream<GetObjectResponse> in = client.getObject(
                    r -> r.bucket(bucket).key(prefix + item.key()).ifMatch(item.fingerprint()));
            GetObjectResponse response = in.response();
            Item.Attributes attributes = new Item.Attributes(response.contentType(), response.metadata());
            String md5 = checkEtags ? contentMd5(item.fingerprint(), response) : null;
            if (md5 == null) {
                return new Content(in, attributes);
            }
            // the SDK leaves a GET's bytes unchecked (responseChecksumValidation WHEN_REQUIRED): a body spoilt on
            // the way would be recorded done with the MD5 of what arrived
            MessageDigest digest = Md5.newDigest();
            return new Content(new DigestInputStream(in, digest), attributes, () -> {
                String read = Md5.hex(digest.digest());
                if (!read.equals(md5)) {
                    throw new RetryableException("get " + item.key() + ": the bytes read (MD5 " + read + ") are not"
                            + " the object's (ETag " + md5 + "; a server whose ETags are not MD5s, as MinIO's with"
                            + " encryption: source.s3.check-etag = false)", null);
                }
            });
        } catch (NoSuchKeyException e) {
            throw new ItemRejectedException("transfer", "vanished since it was listed");
        } catch (S3Exception e) {
            if (e.statusCode() == 412) {
                throw new ItemRejectedException("transfer", "changed since it was listed (ETag no longer "
                        + item.fingerprint() + "); the next run copies it again");
            }
            throw S3Errors.classify("get " + item.key(), e);
        } catch (SdkException e) {
            throw S3Errors.classify("get " + item.key(), e);
        }
    }

    /**
     * The object's MD5 when its ETag is one: a single-part upload, not encrypted with KMS or a customer's key (their
     * ETags are not the content's MD5); else null.
     */
    private static String contentMd5(String etag, GetObjectResponse response) {
        String md5 = etag == null ? "" : Md5.unquote(etag).toLowerCase(Locale.ROOT);
        boolean kms = response.serverSideEncryption() == ServerSideEncryption.AWS_KMS
                || response.serverSideEncryption() == ServerSideEncryption.AWS_KMS_DSSE;
        return MD5_HEX.matcher(md5).matches() && !kms && response.sseCustomerAlgorithm() == null ? md5 : null;
    }

    @Override
    public void close() {
        client.close();
    }

    @Override
    public String describe() {
        return "s3://" + bucket + "/" + prefix;
    }

    @Override
    public String identity() {
        return Identities.s3(endpoint, bucket, prefix);
    }
}
