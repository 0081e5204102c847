package io.caravan.camel;

import io.caravan.target.ItemTarget;
import io.caravan.target.S3TargetContractTest;
import io.caravan.testing.S3ProxyServer;

class CamelS3TargetContractTest extends S3TargetContractTest {

    @Override
    protected ItemTarget targetOn(String bucket) {
        return new CamelTarget("aws2-s3://" + bucket + "?accessKey=RAW(" + S3ProxyServer.ACCESS_KEY
                + ")&secretKey=RAW(" + S3ProxyServer.SECRET_KEY + ")&region=us-east-1&overrideEndpoint=true"
                + "&uriEndpointOverride=" + s3.endpoint() + "&forcePathStyle=true", "");
    }

    /** A Camel endpoint is not listed: verify asks it for each item instead. */
    @Override
    protected boolean lists() {
        return false;
    }
}
