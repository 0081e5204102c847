package io.caravan.job;

import java.time.Duration;

/**
 * How long Caravan waits on a server, for every edge that talks HTTP (S3, CKAN): {@code caravan.timeout.connect} to
 * open a connection, {@code caravan.timeout.request} for one attempt of one request from its first byte to its last,
 * and {@code caravan.timeout.read-idle} for the next byte of an answer. A timeout fails the attempt as a retryable
 * error, so a stalled server costs one attempt, never the run.
 */
public record Timeouts(Duration connect, Duration request, Duration readIdle) {

    public static final Timeouts DEFAULTS = new Timeouts(Duration.ofSeconds(10), Duration.ofMinutes(10),
            Duration.ofSeconds(60));

    public static Timeouts of(JobSettings s) {
        return new Timeouts(positive(s, "caravan.timeout.connect", DEFAULTS.connect),
                positive(s, "caravan.timeout.request", DEFAULTS.request),
                positive(s, "caravan.timeout.read-idle", DEFAULTS.readIdle));
    }

    private static Duration positive(JobSettings s, String key, Duration defaultValue) {
        Duration d = s.duration(key, defaultValue);
        if (d.isZero() || d.isNegative()) {
            throw new ConfigException(key + " must be longer than zero, not " + s.string(key, ""));
        }
        return d;
    }
}
