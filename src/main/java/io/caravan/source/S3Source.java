package io.caravan.source;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Identities;
import io.caravan.item.Item;
import io.caravan.item.ItemRejectedException;
import io.caravan.s3.S3Errors;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import java.util.Iterator;

/**
 * Objects of a bucket under a prefix; an item's key is the object key without the prefix and its
 * fingerprint is the ETag. Listing pages through ListObjectsV2 lazily, one page at a time.
 */
public class S3Source implements ItemSource {

    private final S3Client client;
    private final String endpoint;
    private final String bucket;
    private final String prefix;

    /** @param endpoint the S3-compatible server's URL, empty for AWS: for the identity only */
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
            return new Content(in, new Item.Attributes(response.contentType(), response.metadata()));
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
