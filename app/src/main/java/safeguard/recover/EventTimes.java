package safeguard.recover;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

/**
 * The time a rule says its event happened ({@code context.eventTime}): an ISO-8601 instant or offset time (what
 * the custom-action script sends), epoch seconds or milliseconds (QRadar's own columns), or a local time read
 * as UTC. Null when it is none of these: the caller then falls back, and says so.
 */
final class EventTimes {
    private EventTimes() {
    }

    static Instant parse(String s) {
        if (s == null || s.isBlank()) {
            return null;
        }
        String t = s.trim();
        if (t.matches("\\d{9,13}")) {
            long n = Long.parseLong(t);
            return Instant.ofEpochMilli(n < 100_000_000_000L ? n * 1000 : n);
        }
        try {
            return Instant.parse(t);
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return OffsetDateTime.parse(t).toInstant();
        } catch (DateTimeParseException ignored) {
            // next form
        }
        try {
            return LocalDateTime.parse(t.replace(' ', 'T')).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException ignored) {
            return null;
        }
    }
}
