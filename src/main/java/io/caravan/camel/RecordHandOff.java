package io.caravan.camel;

import io.caravan.item.JobFatalException;
import io.caravan.item.LookaheadIterator;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Records handed from a Camel route's thread to the listing, at most {@code capacity} waiting: the route waits while
 * the plan is behind, so a result set streams instead of piling up. The route ends it with {@link #end()} or
 * {@link #fail(Exception)}.
 */
final class RecordHandOff extends LookaheadIterator<Object> {

    private final BlockingQueue<Object> queue;
    private final String what;
    private volatile boolean closed;

    RecordHandOff(int capacity, String what) {
        this.queue = new ArrayBlockingQueue<>(Math.max(1, capacity));
        this.what = what;
    }

    /** Waits for room; gives up when the listing was closed (the route then stops with an error nobody reads). */
    void hand(Object record) {
        try {
            while (!closed) {
                if (queue.offer(record, 100, TimeUnit.MILLISECONDS)) {
                    return;
                }
            }
            throw new IllegalStateException("the listing was closed");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("the listing was interrupted", e);
        }
    }

    void end() {
        hand(End.END);
    }

    /** Ends the listing with the route's failure; nobody reads it after the listing was closed. */
    void fail(Exception cause) {
        if (!closed) {
            hand(new Failure(cause));
        }
    }

    @Override
    protected Object advance() {
        Object taken;
        try {
            taken = queue.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while listing " + what, e);
        }
        if (taken instanceof Failure failure) {
            close();
            String reason = failure.cause() == null ? "the query failed" : failure.cause().getMessage();
            throw new JobFatalException(what + " cannot be read: " + reason, failure.cause());
        }
        if (taken == End.END) {
            close();
            return null;
        }
        return taken;
    }

    @Override
    public void close() {
        closed = true;
    }

    private enum End { END }

    private record Failure(Exception cause) {
    }
}
