package io.caravan.pipeline;

/**
 * A worker stopped by a job-fatal error: the item in hand is left unacknowledged, for the broker to deliver again to
 * another instance, and nothing is recorded for it.
 */
public final class WorkerStoppedException extends RuntimeException {

    public WorkerStoppedException(String message) {
        super(message);
    }
}
