package io.caravan.s3;

import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

import java.net.URI;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The endpoint of an S3-compatible server given in config, for every request: {@code <endpoint>/<bucket>} in path
 * style, {@code <scheme>://<bucket>.<host>} otherwise, signed with SigV4 for "s3" as S3 wants it (no double
 * encoding). The SDK's own provider evaluates S3's whole rule set for each request (AWS partitions, access points,
 * S3 Express, ...), which an overridden endpoint never needs: most of the SDK's CPU per small PUT besides the
 * HTTP exchange.
 */
final class FixedEndpointProvider implements S3EndpointProvider {

    private final String base;
    private final boolean pathStyle;
    private final List<?> authSchemes;

    FixedEndpointProvider(URI endpoint, String region, boolean pathStyle) {
        String text = endpoint.toString();
        this.base = text.endsWith("/") ? text.substring(0, text.length() - 1) : text;
        this.pathStyle = pathStyle;
        this.authSchemes = List.of(SigV4AuthScheme.builder().signingName("s3").signingRegion(region)
                .disableDoubleEncoding(true).build());
    }

    @Override
    @SuppressWarnings("unchecked")
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        return CompletableFuture.completedFuture(Endpoint.builder().url(urlFor(params.bucket()))
                .putAttribute(AwsEndpointAttribute.AUTH_SCHEMES, (List) authSchemes).build());
    }

    private URI urlFor(String bucket) {
        if (bucket == null || bucket.isEmpty()) {
            return URI.create(base);
        }
        if (pathStyle) {
            return URI.create(base + "/" + bucket);
        }
        URI uri = URI.create(base);
        return URI.create(uri.getScheme() + "://" + bucket + "." + uri.getRawAuthority()
                + (uri.getRawPath() == null ? "" : uri.getRawPath()));
    }
}
