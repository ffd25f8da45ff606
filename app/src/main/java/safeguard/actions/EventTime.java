package safeguard.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import safeguard.InvalidInputException;

/**
 * An event's time as the custom action sends it: an ISO-8601 time (or epoch seconds or milliseconds, as QRadar's
 * own columns hold it), within the last ten years and
 * at most a day ahead (a storage system's clock may run a little fast; {@code +999999999-12-31T23:59:59Z}, year 0
 * and "yesterday" are not times of an event), or a 400 naming {@code context.eventTime}.
 */
final class EventTime {
    static final Duration PAST = Duration.ofDays(3653);
    static final Duration AHEAD = Duration.ofDays(1);

    private EventTime() {
    }

    /** The forms the recover package reads an event time in (RecoveryPoints): the same ones, no more. */
    static Instant parse(String t) {
        if (t.matches("\\d{9,13}")) {
            long n = Long.parseLong(t);
            return Instant.ofEpochMilli(n < 100_000_000_000L ? n * 1000 : n);
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return java.time.LocalDateTime.parse(t).toInstant(java.time.ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }

    static void check(String value, Instant now) {
        if (value == null) {
            return;
        }
        Instant t = parse(value.trim());
        if (t == null) {
            throw new InvalidInputException("context.eventTime", "context.eventTime must be an ISO-8601 time, e.g."
                    + " 2026-11-24T10:15:03.120Z (without an offset it is taken as UTC), or epoch seconds or milliseconds");
        }
        if (t.isBefore(now.minus(PAST)) || t.isAfter(now.plus(AHEAD))) {
            throw new InvalidInputException("context.eventTime",
                    "context.eventTime must be within the last 10 years and at most 1 day ahead");
        }
    }
}
