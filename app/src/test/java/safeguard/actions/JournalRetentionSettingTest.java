package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.MutableClock;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.journal.Journal;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** The admin's journal retention is read at each checkpoint: a shorter one archives at the next checkpoint. */
class JournalRetentionSettingTest {
    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T08:00:00Z"));
    final AtomicReference<Settings> settings = new AtomicReference<>(Settings.DEFAULTS);
    Journal journal;
    ActionService actions;

    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private Path archive() {
        return tmp.resolve("store/journal/archive");
    }

    private long archived() throws IOException {
        if (!Files.isDirectory(archive())) {
            return 0;
        }
        try (Stream<Path> s = Files.list(archive())) {
            return s.count();
        }
    }

    private static Settings withRetention(int days) {
        Settings d = Settings.DEFAULTS;
        return new Settings(d.coalesceWindowSeconds(), d.dryRunAll(), d.logSourceHosts(), d.actionServiceRoleId(),
                d.actionServiceProfileId(), d.actionServiceDays(), d.attemptsPerHour(), d.offenseTriggers(),
                d.offensePollSeconds(), d.auditFeedWindowMinutes(), d.recoverGapWarnDays(), days);
    }

    @Test
    void a_shorter_retention_set_by_the_admin_archives_old_segments_at_the_next_checkpoint() throws Exception {
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("scale", "scale1", "scale.example", 443, "snapadmin", "pw",
                new Tls("verify", null, null), 2, 10,
                new ScaleSettings("gpfs01", "sales", List.of("sales"), "sgc", 24, 600, "UTC"), null, null, true));
        RetryPolicy noWait = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { });
        journal = new Journal(store.dir().resolve("journal"), 4 * 1024, clock); // small segments: several of them
        actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait,
                d -> { }), null, clock, 4, settings::get, ActionLimits.DEFAULTS);
        actions.load();
        for (int i = 0; i < 40; i++) {
            clock.advance(Duration.ofSeconds(601));
            actions.submit(new ActionRequest("scale-snapshot", "scale1",
                    new ActionContext("rule", "2001", "/ibm/gpfs01/sales/f" + i + ".csv", "f" + i + ".csv", null, null),
                    null, null, null, null));
        }
        clock.advance(Duration.ofDays(60)); // old, but well within the default 400 days
        clock.advance(Duration.ofSeconds(601));
        actions.submit(new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("rule", "2001", "/ibm/gpfs01/sales/new.csv", "new.csv", null, null), null, null, null, null));

        actions.checkpoint();
        assertEquals(0, archived(), "the default 400 days keep two-month-old segments live");

        settings.set(withRetention(30));
        actions.checkpoint();
        assertTrue(archived() > 0, "30 days: the covered two-month-old segments are archived");
        assertTrue(journal.verify(true).intact(), "the chain still verifies from the sealed anchor");
        try (Stream<Path> s = Files.list(archive())) {
            assertFalse(s.anyMatch(p -> !p.getFileName().toString().endsWith(".gz")), "archived compressed");
        }
    }
}
