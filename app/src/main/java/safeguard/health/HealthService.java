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

    private final java.util.function.Supplier<Object> offenses;

    public HealthService(AppConfig config, Store store, Clock clock,
                         java.util.function.Supplier<safeguard.journal.JournalStatus> journal) {
        this(config, store, clock, journal, () -> null);
    }

    /** {@code offenses} says where offense polling stands (shown as is; null leaves it out). */
    public HealthService(AppConfig config, Store store, Clock clock,
                         java.util.function.Supplier<safeguard.journal.JournalStatus> journal,
                         java.util.function.Supplier<Object> offenses) {
        this.offenses = offenses;
        this.journal = journal;
        this.config = config;
        this.store = store;
        this.clock = clock;
        this.startedAt = clock.instant();
    }

    public Health check() {
        boolean writable = store.isWritable();
        safeguard.journal.JournalStatus j = journal.get();
        return new Health(
                writable && !"damaged".equals(j.state()) ? "ok" : "degraded",
                Version.current(),
                startedAt.toString(),
                Duration.between(startedAt, clock.instant()).toSeconds(),
                new Health.StoreHealth(store.dir().toString(), writable),
                config.insideQradar(),
                config.qradarOnCloud(),
                j,
                offenses.get());
    }
}
