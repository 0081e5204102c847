package io.caravan.testing;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.model.GetObjectRequest;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectRequest;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;

/** A store whose ETags are not MD5s: each is the MD5's digits reversed (an involution, so If-Match maps back). */
final class OpaqueEtags extends ForwardingBlobStore {

    OpaqueEtags(BlobStore delegate) {
        super(delegate);
    }

    static String opaque(String etag) {
        if (etag == null) {
            return null;
        }
        boolean quoted = etag.startsWith("\"") && etag.endsWith("\"") && etag.length() > 1;
        String digits = quoted ? etag.substring(1, etag.length() - 1) : etag;
        String reversed = new StringBuilder(digits).reverse().toString();
        return quoted ? "\"" + reversed + "\"" : reversed;
    }

    @Override
    public ListObjectsV2Response list(ListObjectsV2Request request) {
        ListObjectsV2Response listed = super.list(request);
        return listed.toBuilder().contents(listed.contents().stream()
                .map(o -> o.toBuilder().eTag(opaque(o.eTag())).build()).toList()).build();
    }

    @Override
    public HeadObjectResponse blobMetadata(HeadObjectRequest request) {
        HeadObjectResponse head = super.blobMetadata(request.toBuilder().ifMatch(opaque(request.ifMatch()))
                .ifNoneMatch(opaque(request.ifNoneMatch())).build());
        return head == null ? null : head.toBuilder().eTag(opaque(head.eTag())).build();
    }

    @Override
    public ResponseInputStream<GetObjectResponse> getBlob(GetObjectRequest request) {
        ResponseInputStream<GetObjectResponse> got = super.getBlob(request.toBuilder()
                .ifMatch(opaque(request.ifMatch())).ifNoneMatch(opaque(request.ifNoneMatch())).build());
        if (got == null) {
            return null;
        }
        return new ResponseInputStream<>(got.response().toBuilder().eTag(opaque(got.response().eTag())).build(),
                got);
    }
}
