package safeguard.actions;

import java.security.SecureRandom;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Action ids, unique and ordered by time as ULIDs are ({@code a-20261124T101503Z-042-3f9a…}): the second (still
 * readable, and what {@link ActionHistory#acceptedAt} reads), the millisecond, then 64 bits that start at a random
 * value in each new millisecond and count up within it (ULID's monotonic mode), so a burst of any size inside one
 * millisecond neither collides nor loses its order. A clock that steps back keeps the last millisecond, so ids never
 * go backwards either.
 */
final class ActionIds {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private final SecureRandom random = new SecureRandom();
    private long lastMillis = Long.MIN_VALUE;
    private long counter;

    /** The next id, for an action accepted at {@code now}. */
    synchronized String next(Instant now) {
        long ms = now.toEpochMilli();
        if (ms > lastMillis) {
            lastMillis = ms;
            // Top bit clear: 2^63 increments before an overflow could change the order.
            counter = random.nextLong() >>> 1;
        } else {
            counter++;
        }
        Instant at = Instant.ofEpochMilli(lastMillis);
        return "a-" + STAMP.format(at) + "-" + String.format("%03d", Math.floorMod(lastMillis, 1000L)) + "-"
                + String.format("%016x", counter);
    }
}
