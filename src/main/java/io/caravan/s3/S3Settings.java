package io.caravan.s3;

/**
 * How to reach an S3 service. {@code endpoint} is empty for AWS itself; path-style addressing for
 * S3-compatible servers (S3Proxy, MinIO, Ceph). Credentials are secrets: never logged, never in toString.
 */
public record S3Settings(String endpoint, String region, String accessKey, String secretKey, boolean pathStyle,
                         int maxConnections) {

    @Override
    public String toString() {
        return "S3Settings[endpoint=" + endpoint + ", region=" + region + ", pathStyle=" + pathStyle + "]";
    }
}
