package io.caravan.transfer;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.time.Duration;

/**
 * Items per second a job may start in this process, shared by its worker threads, so a production server is not
 * knocked over. Each instance has its own: the limit is per instance.
 * (Camel's throttle EIP needs a finite rate per route; this one is off when the rate is 0.)
 */
public final class RateLimiter {

    private final Bucket bucket;

    private RateLimiter(Bucket bucket) {
        this.bucket = bucket;
    }

    /** @param perSecond 0 for no limit */
    public static RateLimiter perSecond(long perSecond) {
        return new RateLimiter(perSecond <= 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(perSecond).refillGreedy(perSecond, Duration.ofSeconds(1))
                        .build())
                .build());
    }

    public void acquire() {
        if (bucket == null) {
            return;
        }
        try {
            bucket.asBlocking().consume(1);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the rate limit", e);
        }
    }
}
