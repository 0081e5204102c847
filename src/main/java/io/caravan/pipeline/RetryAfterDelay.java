package io.caravan.pipeline;

import io.caravan.item.RetryableException;
import org.apache.camel.Exchange;
import org.apache.camel.Processor;

import java.time.Duration;
import java.util.Optional;

/**
 * Runs as soon as a retryable failure happens, before Camel picks the redelivery delay: when the server said how long
 * to wait (Retry-After, with 429 and 503 SlowDown), the next attempt waits at least that long, and never less than
 * the exponential backoff would ({@code CamelRedeliveryDelay} overrides Camel's own computation). Otherwise the
 * header is cleared, and Camel's backoff applies.
 */
final class RetryAfterDelay implements Processor {

    private static final long MAX_BACKOFF_MILLIS = 60_000;

    @Override
    public void process(Exchange exchange) {
        Optional<Duration> asked = serverAsked(exchange);
        if (asked.isEmpty()) {
            exchange.getIn().removeHeader(Exchange.REDELIVERY_DELAY);
            return;
        }
        int redeliveries = exchange.getIn().getHeader(Exchange.REDELIVERY_COUNTER, 0, Integer.class);
        long base = Long.parseLong(exchange.getContext().resolvePropertyPlaceholders("{{caravan.retry-delay-ms}}"));
        long backoff = Math.min(MAX_BACKOFF_MILLIS, base << Math.min(redeliveries, 20));
        exchange.getIn().setHeader(Exchange.REDELIVERY_DELAY, Math.max(asked.get().toMillis(), backoff));
    }

    private static Optional<Duration> serverAsked(Exchange exchange) {
        Throwable error = exchange.getException() != null ? exchange.getException()
                : exchange.getProperty(Exchange.EXCEPTION_CAUGHT, Throwable.class);
        for (Throwable t = error; t != null; t = t.getCause()) {
            if (t instanceof RetryableException retryable) {
                return retryable.retryAfter();
            }
        }
        return Optional.empty();
    }
}
