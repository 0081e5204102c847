package io.caravan.transfer;

import io.github.bucket4j.Bandwidth;
import io.github.bucket4j.Bucket;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.time.Duration;

/**
 * A job's byte rate in this process, shared by its worker threads (each instance has its own): reads block until the
 * bucket has tokens for them.
 */
public final class BandwidthLimiter {

    private final Bucket bucket;
    private final long capacity;

    private BandwidthLimiter(long bytesPerSecond) {
        this.capacity = bytesPerSecond;
        this.bucket = bytesPerSecond <= 0 ? null : Bucket.builder()
                .addLimit(Bandwidth.builder().capacity(bytesPerSecond)
                        .refillGreedy(bytesPerSecond, Duration.ofSeconds(1)).build())
                .build();
    }

    /** @param bytesPerSecond 0 for no limit */
    public static BandwidthLimiter of(long bytesPerSecond) {
        return new BandwidthLimiter(bytesPerSecond);
    }

    public InputStream wrap(InputStream in) {
        return bucket == null ? in : new Throttled(in);
    }

    private final class Throttled extends FilterInputStream {

        Throttled(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                consume(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int off, int len) throws IOException {
            int n = super.read(buffer, off, (int) Math.min(len, capacity));
            if (n > 0) {
                consume(n);
            }
            return n;
        }

        private void consume(long n) throws InterruptedIOException {
            try {
                bucket.asBlocking().consume(n);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new InterruptedIOException("interrupted while throttled");
            }
        }
    }
}
