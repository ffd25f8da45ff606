package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.CapturedLogs;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;
import safeguard.scale.ScaleSimulator;

/**
 * Readiness as QRadar runs the app, against the contract-faithful console and the Scale simulator: the audit feed,
 * the target's credentials and the custom action each make it at-risk, and what the app owns it restores.
 */
class ReadinessInsideQradarTest {
    static final String APP_ID = "1051";
    static final String HOST = "scale-node1";
    static final String ACTIONS = "/analytics/custom_actions/actions";
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert).credentials("snapadmin", "pw-Scale-1");

    @TempDir
    Path tmp;
    Javalin app;
    TestHttp admin;
    FakeConsole fake;
    final MutableClock clock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @BeforeEach
    void start() throws Exception {
        fake = console.fake();
        app = InsideQradar.start(console, tmp.resolve("store"), clock, console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()),
                "QRADAR_APP_ID", APP_ID, "SEC_ADMIN_TOKEN", FakeConsole.TOKEN,
                "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.proxiesTo(APP_ID, "http://127.0.0.1:" + app.port());
        fake.signsIn("sec-admin", "admin", true);
        fake.signsIn("sec-analyst", "analyst", false);
        admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        assertEquals(200, admin.send("PUT", "/api/settings", "{\"actionServiceRoleId\":3,\"actionServiceProfileId\":4,"
                + "\"logSourceHosts\":[\"" + HOST + "\"]}").statusCode());
        assertEquals(201, admin.send("POST", "/api/targets", target("pw-Scale-1", scale.port()).toString()).statusCode());
        assertEquals(200, admin.send("POST", "/api/action-token/rotate", null).statusCode());
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    static ObjectNode target(String password, int port) throws Exception {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale-prod").put("host", "localhost").put("port", port)
                .put("username", "snapadmin").put("password", password);
        t.putObject("tls").put("mode", "pinned")
                .put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").putArray("filesets")
                .add("sales").add("hr");
        return t;
    }

    /** The run reconciles QRadar content first (the first one makes it all), so it may take longer than a page. */
    private JsonNode run() throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/readiness/run")).header("SEC", "sec-admin")
                .timeout(Duration.ofSeconds(120)).POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private static List<JsonNode> failed(JsonNode readiness) {
        return StreamSupport.stream(readiness.get("checks").spliterator(), false)
                .filter(c -> c.get("state").asText().equals("failed")).toList();
    }

    private static JsonNode check(JsonNode readiness, String check, String subject) {
        return StreamSupport.stream(readiness.get("checks").spliterator(), false)
                .filter(c -> c.get("check").asText().equals(check) && c.get("subject").asText().equals(subject))
                .findFirst().orElseThrow(() -> new AssertionError("no " + check + " check of " + subject + ": " + readiness));
    }

    @Test
    void a_log_source_that_never_delivered_an_event_puts_readiness_at_risk_naming_the_audit_feed_until_events_arrive()
            throws Exception {
        JsonNode r = run();
        assertEquals("at-risk", r.get("state").asText(), r.toString());
        List<JsonNode> failed = failed(r);
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("audit-feed", failed.get(0).get("check").asText());
        assertEquals(HOST, failed.get(0).get("subject").asText());
        assertTrue(failed.get(0).get("why").asText().contains("never delivered an event"), failed.toString());
        assertEquals("ok", check(r, "custom-action", "scale-prod").get("state").asText(), r.toString());
        assertEquals("ok", check(r, "credentials", "scale-prod").get("state").asText());
        assertEquals("ok", check(r, "snapshot-headroom", "scale-prod/sales").get("state").asText());

        fake.logSources().eventArrives(HOST, clock.instant().minus(Duration.ofMinutes(2)));
        r = run();
        assertEquals("ready", r.get("state").asText(), r.toString());
        assertEquals("ok", check(r, "audit-feed", HOST).get("state").asText());

        // Audit records stop: 31 minutes later the window (30) is over.
        clock.advance(Duration.ofMinutes(31));
        r = run();
        assertEquals("at-risk", r.get("state").asText());
        assertTrue(check(r, "audit-feed", HOST).get("why").asText().contains("stopped at 2026-12-05T09:58:00Z"),
                r.toString());

        // What a viewer reads is the last run, and health carries it.
        JsonNode seen = Json.mapper().readTree(new TestHttp(app.port()).with("SEC", "sec-analyst").get("/api/readiness").body());
        assertEquals("at-risk", seen.get("state").asText());
        JsonNode health = Json.mapper().readTree(new TestHttp(app.port()).get("/api/health").body());
        assertEquals("at-risk", health.get("readiness").get("state").asText());
        assertEquals(1, health.get("readiness").get("failed").asInt());
    }

    @Test
    void a_wrong_password_puts_readiness_at_risk_with_a_failed_check_naming_the_target() throws Exception {
        assertEquals("at-risk", run().get("state").asText()); // the log source is new: no event yet
        fake.logSources().eventArrives(HOST, clock.instant());
        assertEquals("ready", run().get("state").asText());

        assertEquals(200, admin.send("PUT", "/api/targets/scale-prod", target("not-the-password", scale.port()).toString())
                .statusCode());
        JsonNode r;
        try (CapturedLogs logs = new CapturedLogs()) {
            r = run();
            String alert = logs.text().lines().filter(l -> l.contains("SafeguardReadiness state=at-risk")).findFirst()
                    .orElseThrow(() -> new AssertionError("no at-risk line in the log"));
            assertTrue(alert.contains("check=credentials subject=\"scale-prod\""), alert);
            assertTrue(!alert.contains("not-the-password"), alert);
        }
        assertEquals("at-risk", r.get("state").asText());
        List<JsonNode> failed = failed(r);
        assertEquals(1, failed.size(), failed.toString());
        assertEquals("credentials", failed.get(0).get("check").asText());
        assertEquals("scale-prod", failed.get(0).get("subject").asText());
        assertTrue(failed.get(0).get("why").asText().contains("snapadmin"), failed.toString());
    }

    @Test
    void a_custom_action_deleted_in_the_console_is_restored_and_the_check_says_it_was_repaired() throws Exception {
        assertEquals("at-risk", run().get("state").asText()); // the log source is new: no event yet
        fake.logSources().eventArrives(HOST, clock.instant());
        assertEquals("ready", run().get("state").asText());
        long before = fake.table(ACTIONS).stream().filter(a -> a.get("name").asText().endsWith("scale-prod"))
                .findFirst().orElseThrow().get("id").asLong();

        console.service().delete(ACTIONS + "/" + before);
        JsonNode r = run();

        JsonNode action = check(r, "custom-action", "scale-prod");
        assertEquals("ok", action.get("state").asText(), r.toString());
        assertTrue(action.get("repaired").asBoolean(), action.toString());
        assertTrue(action.get("why").asText().contains("was missing"), action.toString());
        ObjectNode again = fake.table(ACTIONS).stream().filter(a -> a.get("name").asText().endsWith("scale-prod"))
                .findFirst().orElseThrow(() -> new AssertionError("the custom action was not restored"));
        assertTrue(again.get("id").asLong() != before);
        assertEquals("ready", r.get("state").asText());
        // Restored armed: the action token and the service token the app holds.
        assertTrue(!fake.actionParameters(again.get("id").asLong()).get("action_token").startsWith("reveal"));
    }

    @Test
    void an_authorized_service_deleted_in_the_console_is_replaced_and_every_custom_action_gets_its_token() throws Exception {
        run();
        fake.logSources().eventArrives(HOST, clock.instant());
        assertEquals("ready", run().get("state").asText());
        String services = "/config/access/authorized_services";
        long old = fake.table(services).get(0).get("id").asLong();

        console.service().delete(services + "/" + old);
        JsonNode r = run();

        JsonNode service = check(r, "authorized-service", "custom action's authorized service");
        assertEquals("ok", service.get("state").asText(), r.toString());
        assertTrue(service.get("repaired").asBoolean(), service.toString());
        assertEquals(1, fake.table(services).size());
        ObjectNode now = fake.table(services).get(0);
        assertTrue(now.get("id").asLong() != old);
        long action = fake.table(ACTIONS).get(0).get("id").asLong();
        assertEquals(now.get("_token").asText(), fake.actionParameters(action).get("sec_token"));
    }

    @Test
    void each_change_of_state_is_journaled_with_what_failed() throws Exception {
        run();
        fake.logSources().eventArrives(HOST, clock.instant());
        run();
        run();
        clock.advance(Duration.ofMinutes(45));
        run();
        List<JsonNode> changes = new java.util.ArrayList<>();
        try (var files = java.nio.file.Files.list(tmp.resolve("store").resolve("journal"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".jsonl")).sorted().toList()) {
                for (String line : java.nio.file.Files.readAllLines(f)) {
                    JsonNode rec = Json.mapper().readTree(line);
                    if (rec.path("event").asText().equals("readiness")) {
                        changes.add(rec.get("data"));
                    }
                }
            }
        }
        // at-risk from the start (no target, then no event yet) -> ready -> (unchanged) -> at-risk: the feed stopped.
        List<String> states = changes.stream().map(d -> d.get("state").asText()).toList();
        assertEquals(List.of("at-risk", "ready", "at-risk"), states, changes.toString());
        JsonNode last = changes.get(2);
        assertEquals("ready", last.get("previous").asText());
        assertEquals("audit-feed", last.get("failed").get(0).get("check").asText());
        assertEquals(HOST, last.get("failed").get(0).get("subject").asText());
    }

    @Test
    void a_custom_action_edited_in_define_actions_is_put_back_and_the_check_says_it_was_repaired() throws Exception {
        run();
        fake.logSources().eventArrives(HOST, clock.instant());
        assertEquals("ready", run().get("state").asText());
        ObjectNode edited = fake.table(ACTIONS).get(0).deepCopy();
        for (JsonNode p : edited.withArray("parameters")) {
            if (p.get("name").asText().equals("target")) {
                ((ObjectNode) p).put("value", "some-other-target");
            }
        }
        console.service().post(ACTIONS + "/" + edited.get("id").asText(), Map.of(), edited);

        JsonNode r = run();

        JsonNode action = check(r, "custom-action", "scale-prod");
        assertTrue(action.get("repaired").asBoolean(), action.toString());
        assertTrue(action.get("why").asText().contains("had been altered"), action.toString());
        assertEquals("scale-prod", fake.actionParameters(edited.get("id").asLong()).get("target"));
    }

    @Test
    void an_authorized_service_in_its_last_week_is_a_warning_not_a_failure() throws Exception {
        assertEquals(200, admin.send("PUT", "/api/settings", "{\"actionServiceDays\": 3}").statusCode());
        run();
        fake.logSources().eventArrives(HOST, clock.instant());
        JsonNode r = run();
        JsonNode service = check(r, "authorized-service", "custom action's authorized service");
        assertEquals("warning", service.get("state").asText(), service.toString());
        assertTrue(service.get("why").asText().contains("ends at"), service.toString());
        assertEquals("ready", r.get("state").asText());
    }
}
