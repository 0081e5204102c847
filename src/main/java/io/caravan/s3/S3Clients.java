package io.caravan.s3;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

import java.net.URI;

/** Builds the AWS SDK client for a source or a target. */
public final class S3Clients {

    private S3Clients() {
    }

    public static S3Client create(S3Settings settings) {
        return builder(settings).build();
    }

    static S3ClientBuilder builder(S3Settings settings) {
        S3ClientBuilder builder = S3Client.builder()
                .region(Region.of(settings.region()))
                .credentialsProvider(credentials(settings))
                .forcePathStyle(settings.pathStyle())
                // Caravan sends Content-MD5 and checks ETags itself; aws-chunked trailers are not
                // understood by every S3-compatible server.
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                // Over plain HTTP the SDK would sign every 128 KiB chunk of a body (aws-chunked): most of the CPU
                // of a small-file migration. The body is signed whole instead, and Content-MD5 guards it.
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                // no "Expect: 100-continue" round trip before every PUT: bodies are small or already verified
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(settings.maxConnections())
                        .expectContinueEnabled(false)
                        .connectionTimeout(settings.timeouts().connect())
                        .socketTimeout(settings.timeouts().readIdle()))
                .overrideConfiguration(o -> o.apiCallAttemptTimeout(settings.timeouts().request()));
        if (!settings.signPayload()) {
            builder.putAuthScheme(new UnsignedPayloadAuthScheme());
        }
        if (settings.endpoint() != null && !settings.endpoint().isBlank()) {
            URI endpoint = URI.create(settings.endpoint());
            builder.endpointOverride(endpoint)
                    .endpointProvider(new FixedEndpointProvider(endpoint, settings.region(), settings.pathStyle()));
        }
        return builder;
    }

    private static AwsCredentialsProvider credentials(S3Settings settings) {
        if (settings.accessKey() == null || settings.accessKey().isBlank()) {
            return DefaultCredentialsProvider.builder().build();
        }
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(settings.accessKey(), settings.secretKey()));
    }
}
