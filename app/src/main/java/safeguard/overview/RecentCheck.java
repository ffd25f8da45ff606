package safeguard.overview;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;
import safeguard.journal.ChainReport;

/**
 * The journal check the Overview shows, reused for {@link #REUSE}: a check re-reads the newest segment (up to
 * 16 MB) under the journal's lock, so a hundred loads at once would queue behind a hundred checks. One load runs
 * the check; the loads that arrive meanwhile wait for that one instead of starting their own.
 */
final class RecentCheck {
    static final Duration REUSE = Duration.ofSeconds(10);

    private final Supplier<ChainReport> check;
    private final Clock clock;
    private ChainReport last;
    private Instant at;

    RecentCheck(Supplier<ChainReport> check, Clock clock) {
        this.check = check;
        this.clock = clock;
    }

    synchronized ChainReport get() {
        Instant now = clock.instant();
        if (last == null || !last.intact() || now.isAfter(at.plus(REUSE)) || now.isBefore(at)) {
            last = check.get();
            at = clock.instant();
        }
        return last;
    }
}
