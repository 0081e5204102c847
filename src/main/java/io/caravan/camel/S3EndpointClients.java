package io.caravan.camel;

import io.caravan.s3.S3Clients;
import io.caravan.s3.S3Settings;
import org.apache.camel.component.aws2.s3.AWS2S3Configuration;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The client of an {@code aws2-s3:} target endpoint: the one the built-in S3 target uses ({@link S3Clients}), built
 * from the endpoint's own options, so a Camel-path copy costs what a built-in one does. camel-aws2-s3 would build
 * the SDK's default client instead, which over plain http signs every body chunk by chunk and adds CRC trailers:
 * a third more CPU on the client and twice on the server for small files. Each write is still checked, by the
 * ETag against the MD5 computed while streaming. An endpoint that names its own client, a proxy, a profile,
 * session credentials, trusted-all certificates or no region keeps Camel's client: those are options only
 * Camel's factory reads.
 */
final class S3EndpointClients {

    private S3EndpointClients() {
    }

    /**
     * Gives the endpoint Caravan's client when it can; that client is the caller's to close. Null otherwise.
     *
     * @param job the job's {@code target.s3.*} settings ({@link io.caravan.s3.S3EdgeType#settings}): its connections,
     *            payload signing and timeouts; the service itself is the endpoint's
     */
    static S3Client adopt(AWS2S3Configuration endpoint, S3Settings job) {
        if (job.signPayload() || endpoint.getAmazonS3Client() != null || endpoint.getRegion() == null
                || endpoint.getProxyHost() != null || endpoint.isUseProfileCredentialsProvider()
                || endpoint.isUseSessionCredentials() || endpoint.isTrustAllCertificates()) {
            return null;
        }
        String override = endpoint.isOverrideEndpoint() ? endpoint.getUriEndpointOverride() : null;
        S3Client client = S3Clients.create(new S3Settings(override, endpoint.getRegion(),
                endpoint.isUseDefaultCredentialsProvider() ? null : endpoint.getAccessKey(), endpoint.getSecretKey(),
                endpoint.isForcePathStyle(), job.maxConnections(), false, job.timeouts()));
        endpoint.setAmazonS3Client(client);
        return client;
    }
}
