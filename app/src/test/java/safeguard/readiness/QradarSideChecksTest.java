package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.dsm.Dsm;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.settings.Settings;
import safeguard.targets.ScaleSettings;
import safeguard.targets.Target;
import safeguard.targets.Tls;

/** The QRadar-side checks and the audit feed against the contract-faithful console, one cause at a time. */
class QradarSideChecksTest {
    static final String LST = "/config/event_sources/log_source_management/log_source_types";
    static final String LOG_SOURCES = "/config/event_sources/log_source_management/log_sources";

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    static Settings hosts(String... hosts) {
        return new Settings(300, false, List.of(hosts), null, null, 365, 6, null, null, 30);
    }

    static final Target SCALE = new Target("scale", "scale-prod", "scale.example", 443, "snapadmin", "sealed",
            new Tls("verify", null, null), 10, 60, new ScaleSettings("gpfs01", null, List.of(), "sgc", 24, 0, "UTC"),
            null, null, false);

    private FakeConsole fake() {
        return console.fake();
    }

    private long logSource(String host, boolean enabled) {
        long type = fake().adminCreates(LST, "name", Dsm.bundled().logSourceTypeName(), "custom", true,
                "internal", false).get("id").asLong();
        return fake().adminCreates(LOG_SOURCES, "name", "Storage Scale audit @ " + host, "type_id", type,
                "protocol_type_id", 0, "enabled", enabled, "_identifier", host,
                "protocol_parameters", List.of(Map.of("name", "identifier", "value", host))).get("id").asLong();
    }

    private List<Check> feed(Settings s, List<Target> targets) {
        return new AuditFeed(console.service(), () -> s, () -> targets, true, clock).run();
    }

    @Test
    void the_console_refusing_the_apps_token_fails_the_authorization_check_and_nothing_else_is_tried() {
        List<Check> c = new QradarChecks(null, console.client("revoked-token"), () -> List.of(SCALE),
                () -> Settings.DEFAULTS, true, clock).run();
        assertEquals(1, c.size(), c.toString());
        assertEquals("qradar-authorization", c.get(0).check());
        assertEquals(Check.FAILED, c.get(0).state());
        assertTrue(c.get(0).why().contains("HTTP 401"), c.get(0).why());
    }

    @Test
    void an_app_not_yet_authorised_fails_the_authorization_check() {
        List<Check> c = new QradarChecks(null, null, List::of, () -> Settings.DEFAULTS, true, clock).run();
        assertEquals("qradar-authorization", c.get(0).check());
        assertTrue(c.get(0).why().contains("Extensions Management"), c.get(0).why());
    }

    @Test
    void outside_qradar_there_is_no_qradar_side_and_no_audit_feed_to_check() {
        assertEquals(List.of(), new QradarChecks(null, null, List::of, () -> Settings.DEFAULTS, false, clock).run());
        assertEquals(List.of(), new AuditFeed(null, () -> hosts("h1"), List::of, false, clock).run());
    }

    @Test
    void offense_triggers_with_problems_fail_one_check_each_and_none_set_checks_nothing() {
        Settings withTriggers = new Settings(300, false, List.of(), null, null, 365, 6,
                List.of(new safeguard.offenses.OffenseTrigger(7L, "gpfs"), new safeguard.offenses.OffenseTrigger(8L, "gpfs")),
                15, 30);
        List<String> problems = new java.util.ArrayList<>(List.of("offenseTriggers[1]: rule 'Safeguard: off-hours' is disabled"));
        QradarChecks q = new QradarChecks(null, null, List::of, () -> withTriggers, true, clock, () -> problems);
        List<Check> c = q.offenseTriggers();
        assertEquals(List.of("failed"), c.stream().map(Check::state).toList());
        assertEquals("offenseTriggers[1]", c.get(0).subject());
        assertTrue(c.get(0).why().contains("disabled"), c.get(0).why());
        problems.clear();
        assertEquals(List.of("ok"), q.offenseTriggers().stream().map(Check::state).toList());
        // Settings without offense triggers: nothing to check.
        assertEquals(List.of(), new QradarChecks(null, null, List::of, () -> Settings.DEFAULTS, true, clock,
                () -> List.of("never read")).offenseTriggers());
    }

    @Test
    void a_disabled_log_source_fails_the_audit_feed_check() {
        logSource("node1", false);
        Check c = feed(hosts("node1"), List.of(SCALE)).get(0);
        assertEquals(Check.FAILED, c.state());
        assertTrue(c.why().contains("disabled"), c.why());
    }

    @Test
    void a_host_without_its_log_source_fails_and_one_within_the_window_passes() {
        logSource("node1", true);
        fake().logSources().eventArrives("node1", clock.instant().minusSeconds(29 * 60));
        List<Check> c = feed(hosts("node1", "node2"), List.of(SCALE));
        assertEquals("node1=ok node2=failed", c.get(0).subject() + "=" + c.get(0).state() + " " + c.get(1).subject()
                + "=" + c.get(1).state());
        assertTrue(c.get(1).why().contains("no log source"), c.get(1).why());
    }

    @Test
    void scale_targets_with_no_host_listed_warn_that_no_audit_feed_is_watched() {
        List<Check> c = feed(hosts(), List.of(SCALE));
        assertEquals(1, c.size());
        assertEquals(Check.WARNING, c.get(0).state());
        assertEquals(List.of(), feed(hosts(), List.of()));
    }
}
