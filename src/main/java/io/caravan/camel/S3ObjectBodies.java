package io.caravan.camel;

import io.caravan.item.CloseableIterator;
import io.caravan.item.Item;
import io.caravan.source.ItemSource;
import io.caravan.source.S3Source;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import org.apache.camel.component.aws2.s3.AWS2S3Endpoint;

/**
 * The objects of a camel-aws2-s3 endpoint ({@code aws2-s3://bucket?prefix=...}): listed and opened as the built-in
 * S3 source does, through the S3 client the endpoint configured from its URI (credentials, region, endpoint
 * override). Its consumer is not used for the listing: it GETs every object it lists (even with
 * {@code ignoreBody=true}), and Caravan reads no body before the ledger decided. A key is the object key without the
 * prefix, a fingerprint the ETag.
 */
final class S3ObjectBodies implements Bodies {

    private final LazyEndpoint<S3Source> objects;

    S3ObjectBodies(String uri) {
        this.objects = new LazyEndpoint<>(uri, camel -> {
            AWS2S3Endpoint endpoint = (AWS2S3Endpoint) camel.getEndpoint(ReadOnlyUris.readOnly(uri, "aws2-s3"));
            AWS2S3Configuration c = endpoint.getConfiguration();
            String server = c.isOverrideEndpoint() && c.getUriEndpointOverride() != null ? c.getUriEndpointOverride()
                    : "";
            return new S3Source(endpoint.getS3Client(), server, c.getBucketName(), c.getPrefix());
        }, built -> { });
    }

    private S3Source objects() {
        return objects.get();
    }

    CloseableIterator<Item> list() {
        return objects().list();
    }

    @Override
    public void check() {
        objects().check();
    }

    @Override
    public ItemSource.Content open(Item item) {
        return objects().open(item);
    }

    /** The GET asked for the listed ETag (If-Match): a changed object was refused then. */
    @Override
    public void checkUnchanged(Item item) {
    }

    /** Stopping the context closes the client its endpoint made. */
    @Override
    public void close() {
        objects.close();
    }
}
