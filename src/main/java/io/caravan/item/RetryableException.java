package io.caravan.item;

import java.time.Duration;
import java.util.Optional;

/**
 * A transient failure (timeout, 5xx, 429, reset): Camel redelivers with exponential backoff, waiting at least as
 * long as the server asked (Retry-After) when it did.
 */
public class RetryableException extends RuntimeException {

    private final transient Duration retryAfter;

    public RetryableException(String message, Throwable cause) {
        this(message, cause, null);
    }

    /** @param retryAfter how long the server asked to wait before the next attempt, or null */
    public RetryableException(String message, Throwable cause, Duration retryAfter) {
        super(message, cause);
        this.retryAfter = retryAfter;
    }

    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
