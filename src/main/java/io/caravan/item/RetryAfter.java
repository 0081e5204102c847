package io.caravan.item;

import java.time.Duration;
import java.time.Instant;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;

/** Reads an HTTP Retry-After header: a number of seconds, or an HTTP date. */
public final class RetryAfter {

    /** Longer asks are capped: a server asking for an hour should not stall a run for one. */
    static final Duration CAP = Duration.ofMinutes(5);

    private RetryAfter() {
    }

    public static Optional<Duration> parse(String header) {
        if (header == null || header.isBlank()) {
            return Optional.empty();
        }
        String value = header.trim();
        try {
            return Optional.of(capped(Duration.ofSeconds(Long.parseLong(value))));
        } catch (NumberFormatException notSeconds) {
            try {
                Instant at = ZonedDateTime.parse(value, DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
                return Optional.of(capped(Duration.between(Instant.now(), at)));
            } catch (DateTimeParseException notDate) {
                return Optional.empty();
            }
        }
    }

    private static Duration capped(Duration d) {
        return d.isNegative() ? Duration.ZERO : d.compareTo(CAP) > 0 ? CAP : d;
    }
}
