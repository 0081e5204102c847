package io.caravan.s3;

import io.caravan.job.Timeouts;

/**
 * How to reach an S3 service. {@code endpoint} is empty for AWS itself; path-style addressing for
 * S3-compatible servers (S3Proxy, MinIO, Ceph). Credentials are secrets: never logged, never in toString.
 * {@code signPayload}: sign each body's SHA-256 on plain http as the SDK does (otherwise UNSIGNED-PAYLOAD, with
 * Content-MD5 guarding the body; see {@link UnsignedPayloadAuthScheme}).
 */
public record S3Settings(String endpoint, String region, String accessKey, String secretKey, boolean pathStyle,
                         int maxConnections, boolean signPayload, Timeouts timeouts) {

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle
                + ", signPayload=" + signPayload + "]";
    }
}
