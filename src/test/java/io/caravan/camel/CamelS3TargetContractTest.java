package io.caravan.camel;

import io.caravan.target.ItemTarget;
import io.caravan.target.TargetContract;
import io.caravan.testing.S3ProxyServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

class CamelS3TargetContractTest extends TargetContract {

    static S3ProxyServer s3;
    static final AtomicInteger BUCKETS = new AtomicInteger();

    @BeforeAll
    static void startS3() throws Exception {
        s3 = S3ProxyServer.inMemory();
    }

    @AfterAll
    static void stopS3() throws Exception {
        s3.close();
    }

    @Override
    protected ItemTarget newTarget() {
        String bucket = "camel-contract-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return new CamelTarget("aws2-s3://" + bucket + "?accessKey=RAW(" + S3ProxyServer.ACCESS_KEY
                + ")&secretKey=RAW(" + S3ProxyServer.SECRET_KEY + ")&region=us-east-1&overrideEndpoint=true"
                + "&uriEndpointOverride=" + s3.endpoint() + "&forcePathStyle=true", "");
    }

    @Override
    protected boolean verifiesWrites() {
        return true;
    }

    @Override
    protected boolean hasRoot() {
        return false;
    }

    @Override
    protected boolean lists() {
        return false;
    }
}
