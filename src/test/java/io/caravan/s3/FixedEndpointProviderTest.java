package io.caravan.s3;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.awscore.endpoints.authscheme.SigV4AuthScheme;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

class FixedEndpointProviderTest {

    private static Endpoint resolve(String endpoint, boolean pathStyle, String bucket) {
        return new FixedEndpointProvider(URI.create(endpoint), "eu-west-1", pathStyle)
                .resolveEndpoint(S3EndpointParams.builder().bucket(bucket).build()).join();
    }

    @Test
    void path_style_puts_the_bucket_after_the_endpoint_and_its_path() {
        assertThat(resolve("http://127.0.0.1:9000", true, "media").url())
                .isEqualTo(URI.create("http://127.0.0.1:9000/media"));
        assertThat(resolve("https://s3.example.org/storage/", true, "media").url())
                .isEqualTo(URI.create("https://s3.example.org/storage/media"));
    }

    @Test
    void virtual_host_style_puts_the_bucket_before_the_host() {
        assertThat(resolve("https://s3.example.org:8443", false, "media").url())
                .isEqualTo(URI.create("https://media.s3.example.org:8443"));
    }

    @Test
    void a_request_without_a_bucket_goes_to_the_endpoint() {
        assertThat(resolve("http://127.0.0.1:9000", true, null).url()).isEqualTo(URI.create("http://127.0.0.1:9000"));
    }

    @Test
    void requests_are_signed_for_s3_in_the_configured_region_without_double_encoding() {
        SigV4AuthScheme scheme = (SigV4AuthScheme) resolve("http://127.0.0.1:9000", true, "media")
                .attribute(AwsEndpointAttribute.AUTH_SCHEMES).get(0);
        assertThat(scheme.signingName()).isEqualTo("s3");
        assertThat(scheme.signingRegion()).isEqualTo("eu-west-1");
        assertThat(scheme.disableDoubleEncoding()).isTrue();
    }
}
