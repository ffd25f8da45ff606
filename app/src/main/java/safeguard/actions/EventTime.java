package safeguard.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import safeguard.InvalidInputException;

/**
 * An event's time as the custom action sends it: an ISO-8601 instant with its offset, within the last ten years and
 * at most a day ahead (a storage system's clock may run a little fast; {@code +999999999-12-31T23:59:59Z}, year 0
 * and "yesterday" are not times of an event), or a 400 naming {@code context.eventTime}.
 */
final class EventTime {
    static final Duration PAST = Duration.ofDays(3653);
    static final Duration AHEAD = Duration.ofDays(1);

    private EventTime() {
    }

    static void check(String value, Instant now) {
        if (value == null) {
            return;
        }
        Instant t;
        try {
            t = OffsetDateTime.parse(value).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidInputException("context.eventTime",
                    "context.eventTime must be an ISO-8601 time with its offset, e.g. 2026-11-24T10:15:03.120Z");
        }
        if (t.isBefore(now.minus(PAST)) || t.isAfter(now.plus(AHEAD))) {
            throw new InvalidInputException("context.eventTime",
                    "context.eventTime must be within the last 10 years and at most 1 day ahead");
        }
    }
}
