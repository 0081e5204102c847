package io.caravan.camel;

import io.caravan.source.ItemSource;
import io.caravan.source.S3SourceContractTest;
import io.caravan.testing.S3ProxyServer;

/** A camel-aws2-s3 endpoint as a source, with a prefix, against S3Proxy: what the built-in S3 source passes. */
class CamelS3SourceContractTest extends S3SourceContractTest {

    @Override
    protected ItemSource newSource() {
        return new CamelSource("aws2-s3://" + bucket + "?prefix=under/&accessKey=RAW(" + S3ProxyServer.ACCESS_KEY
                + ")&secretKey=RAW(" + S3ProxyServer.SECRET_KEY + ")&region=us-east-1&overrideEndpoint=true"
                + "&uriEndpointOverride=" + s3.endpoint() + "&forcePathStyle=true", "", "", 4, 2);
    }
}
