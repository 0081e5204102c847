package io.caravan.item;

import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;

/** Waiting for work handed to another thread. */
public final class Futures {

    private Futures() {
    }

    /** The task's result; what it threw is thrown again as it was, a checked exception wrapped. */
    public static <T> T await(Future<T> task, String what) {
        try {
            return task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException runtime) {
                throw runtime;
            }
            if (e.getCause() instanceof Error error) {
                throw error;
            }
            throw new IllegalStateException(what + " failed: " + e.getCause(), e.getCause());
        }
    }
}
