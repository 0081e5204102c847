package io.caravan.item;

/** A transient failure (timeout, 5xx, 429, reset): Camel redelivers with exponential backoff. */
public class RetryableException extends RuntimeException {

    public RetryableException(String message, Throwable cause) {
        super(message, cause);
    }
}
