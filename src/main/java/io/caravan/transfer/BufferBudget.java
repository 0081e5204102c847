package io.caravan.transfer;

import java.util.concurrent.Semaphore;

/**
 * The memory a job may hold in body buffers at once (S3 single PUTs and parts), shared by all workers, so
 * that many workers on large files cannot run the heap out: a worker waits for room instead.
 * A single request larger than the whole budget still goes, alone.
 */
public final class BufferBudget {

    private static final int UNIT = 1024;

    private final Semaphore permits;
    private final int total;

    private BufferBudget(long bytes) {
        this.total = (int) Math.max(1, Math.min(Integer.MAX_VALUE, bytes / UNIT));
        this.permits = new Semaphore(total, true);
    }

    public static BufferBudget of(long bytes) {
        return new BufferBudget(bytes);
    }

    /** The default: a quarter of the heap, and at least 32 MiB. */
    public static long defaultBytes() {
        return Math.max(32L << 20, Runtime.getRuntime().maxMemory() / 4);
    }

    public Lease acquire(long bytes) {
        int units = (int) Math.min(total, Math.max(1, (bytes + UNIT - 1) / UNIT));
        try {
            permits.acquire(units);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for buffer memory", e);
        }
        return new Lease(units);
    }

    /** Room taken from the budget; closing gives it back. */
    public final class Lease implements AutoCloseable {
        private final int units;
        private boolean released;

        private Lease(int units) {
            this.units = units;
        }

        @Override
        public synchronized void close() {
            if (!released) {
                released = true;
                permits.release(units);
            }
        }
    }
}
