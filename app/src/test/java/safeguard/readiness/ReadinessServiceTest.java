package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.journal.Journal;
import safeguard.scale.ScaleSimulator;
import safeguard.settings.Settings;
import safeguard.targets.StorageFixture;
import safeguard.targets.Tls;

/** The service around the checks: state from the failures, a run after a change, the summary health shows. */
class ReadinessServiceTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert).credentials("snapadmin", StorageFixture.PASSWORD);

    @TempDir
    Path tmp;

    @Test
    void a_change_runs_the_checks_again_and_the_summary_follows_without_waiting_for_a_run() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));
        try (StorageFixture fx = new StorageFixture(tmp, cert, scale)) {
            Journal journal = new Journal(tmp.resolve("journal"), 1 << 20, clock);
            ReadinessService r = ReadinessService.of(fx.targets, fx.connector, null, null, () -> Settings.DEFAULTS,
                    false, new Drills(fx.store, fx.targets, fx.connector, journal, clock), journal, clock, List::of);
            assertEquals("pending", r.summary().state());
            r.start();
            try {
                r.runSoon().get(60, TimeUnit.SECONDS);
                assertEquals("at-risk", r.summary().state()); // no target: nothing would be protected
                assertEquals("targets", r.current().failed().get(0).check());

                fx.targets.create(fx.scale("scale-prod", new Tls("verify", cert.pemText(), null), 5));
                r.runSoon().get(60, TimeUnit.SECONDS);

                Readiness now = r.current();
                assertEquals("ready", now.state(), now.toString());
                assertTrue(now.checks().stream().anyMatch(c -> c.subject().equals("scale-prod")), now.toString());
                assertEquals(new Readiness.Summary("ready", "2026-12-05T10:00:00Z", 0, 0), r.summary());
            } finally {
                r.stop();
                journal.close();
            }
        }
    }

    @Test
    void the_alert_line_is_one_line_whatever_the_reasons_hold() {
        Readiness r = Readiness.of(List.of(Check.failed("audit-feed", "node\n1", "stopped\r\nat \"T\""),
                Check.ok("reachable", "scale-prod", "fine")), "2026-12-05T10:00:00Z");
        String line = ReadinessService.alertLine("ready", r);
        assertEquals("SafeguardReadiness state=at-risk previous=ready failed=1 check=audit-feed subject=\"node 1\" "
                + "why=\"stopped at 'T'\"", line);
    }
}
