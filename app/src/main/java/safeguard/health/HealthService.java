package safeguard.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import safeguard.AppConfig;
import safeguard.Version;
import safeguard.store.Store;

public final class HealthService {
    private final AppConfig config;
    private final Store store;
    private final Clock clock;
    private final Instant startedAt;

    private final java.util.function.Supplier<safeguard.journal.JournalStatus> journal;

    private volatile java.util.function.Supplier<safeguard.readiness.Readiness.Summary> readiness =
            () -> safeguard.readiness.Readiness.Summary.PENDING;

    private final java.util.function.Supplier<Object> offenses;
    private final safeguard.store.Permissions.Report permissions;
    /** The store's size, measured at most once a minute: health is polled, the walk reads every file's size. */
    private volatile long bytes = -1;
    private volatile Instant measuredAt = Instant.MIN;

    /** {@code offenses} says where offense polling stands (shown as is; null leaves it out). */
    public HealthService(AppConfig config, Store store, Clock clock,
                         java.util.function.Supplier<safeguard.journal.JournalStatus> journal,
                         safeguard.store.Permissions.Report permissions,
                         java.util.function.Supplier<Object> offenses) {
        this.offenses = offenses;
        this.journal = journal;
        this.permissions = permissions;
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    /** Readiness is made after health (it needs the targets and QRadar content); it reports here once wired. */
    public void readiness(java.util.function.Supplier<safeguard.readiness.Readiness.Summary> summary) {
        this.readiness = summary;
    }

    public Health check() {
        boolean writable = store.isWritable();
        safeguard.journal.JournalStatus j = journal.get();
        Instant now = clock.instant();
        if (measuredAt.plusSeconds(60).isBefore(now)) {
            bytes = safeguard.store.Permissions.bytesOnDisk(store.dir());
            measuredAt = now;
        }
        return new Health(
                writable && java.util.Set.of("intact", "verifying", "acknowledged").contains(j.state())
                        && permissions.failed().isEmpty() ? "ok" : "degraded",
                Version.current(),
                startedAt.toString(),
                Duration.between(startedAt, clock.instant()).toSeconds(),
                new Health.StoreHealth(store.dir().toString(), writable, bytes, permissions.fixed(), permissions.failed()),
                config.insideQradar(),
                config.qradarOnCloud(),
                j,
                offenses.get(),
                readiness.get());
    }
}
