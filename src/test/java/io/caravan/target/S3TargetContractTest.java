package io.caravan.target;

import io.caravan.testing.S3ProxyServer;
import io.caravan.transfer.BufferBudget;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

import java.util.concurrent.atomic.AtomicInteger;

/** The S3 target; other targets that write to a bucket (camel-aws2-s3) pass the same with their own. */
public class S3TargetContractTest extends TargetContract {

    protected static S3ProxyServer s3;
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
    protected final ItemTarget newTarget() {
        String bucket = "contract-" + BUCKETS.incrementAndGet();
        s3.createBucket(bucket);
        return targetOn(bucket);
    }

    /** The target under test, writing into this new bucket. */
    protected ItemTarget targetOn(String bucket) {
        return new S3Target(s3::client, s3.endpoint(), bucket, 16L << 20, 5 << 20, 2, BufferBudget.of(64L << 20));
    }

    @Override
    protected boolean verifiesWrites() {
        return true;
    }

    @Override
    protected boolean hasRoot() {
        return false;
    }
}
