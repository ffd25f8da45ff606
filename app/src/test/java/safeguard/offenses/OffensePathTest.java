package safeguard.offenses;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;
import safeguard.qradar.OffensePages;
import safeguard.scale.ScaleSimulator;

/**
 * QRadar on Cloud ({@code IS_QROC=true}), no custom action anywhere: rules reach the app only as offenses. The
 * console is the strict fake (every request checked against IBM's API 26.0 pages), the storage the Scale simulator.
 */
class OffensePathTest {
    static final TestCerts cert = TestCerts.localhost();
    static final long RANSOMWARE = 100123;
    static final long OTHER = 100200;
    static final long DISABLED = 100300;

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Javalin app;
    TestHttp admin;
    FakeConsole fake;
    OffensePages offenses;

    @BeforeEach
    void start() throws Exception {
        fake = console.fake();
        offenses = fake.offenses();
        offenses.rule(RANSOMWARE, "Safeguard: mass file deletes on Storage Scale", true);
        offenses.rule(OTHER, "Excessive firewall denies", true);
        offenses.rule(DISABLED, "Old ransomware rule", false);
        scale = ScaleSimulator.started(cert, 0);
        startApp();
        assertEquals(201, admin.send("POST", "/api/targets", scaleTarget().toString()).statusCode());
    }

    private void startApp() {
        app = InsideQradar.start(console, tmp.resolve("store"), Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()),
                "QRADAR_APP_ID", "1051", "SEC_ADMIN_TOKEN", FakeConsole.TOKEN, "IS_QROC", "true",
                "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.signsIn("sec-admin", "admin", true);
        admin = new TestHttp(app.port()).with("SEC", "sec-admin");
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        scale.close();
    }

    private ObjectNode scaleTarget() throws Exception {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale1").put("host", "localhost").put("port", scale.port())
                .put("username", "snapadmin").put("password", "pw-Scale-1");
        t.putObject("tls").put("mode", "pinned")
                .put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").put("minIntervalSeconds", 600)
                .putArray("filesets").add("sales").add("hr");
        return t;
    }

    private JsonNode json(java.net.http.HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private void mapRansomwareRule() throws Exception {
        var r = admin.send("PUT", "/api/settings",
                "{\"offenseTriggers\":[{\"ruleId\":" + RANSOMWARE + ",\"target\":\"scale1\"}]}");
        assertEquals(200, r.statusCode(), r.body());
    }

    private JsonNode poll() throws Exception {
        var r = admin.send("POST", "/api/offenses/poll", null);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private JsonNode action(String id) {
        try {
            return json(admin.get("/api/actions/" + id));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void an_offense_from_a_mapped_rule_makes_one_snapshot_and_the_offense_is_told_the_outcome() throws Exception {
        long before = offenses.create(RANSOMWARE, offenses.now() - 60_000, null);
        offenses.advance(1_000);
        mapRansomwareRule();
        assertEquals(0, poll().get("started").size(), "offenses from before the trigger was saved are not acted upon");
        long start = offenses.now() - 30_000;
        long offense = offenses.create(RANSOMWARE, start, "jdoe");

        JsonNode p = poll();
        assertEquals(1, p.get("started").size());
        String id = p.get("started").get(0).asText();
        await("the snapshot", () -> action(id).path("action").path("status").asText().equals("protected"));
        JsonNode a = action(id).get("action");
        assertEquals(1, scale.created());
        assertEquals(Long.toString(offense), a.path("context").path("offenseId").asText());
        assertEquals("Safeguard: mass file deletes on Storage Scale", a.path("context").path("rule").asText());
        assertEquals("jdoe", a.path("context").path("user").asText());
        assertEquals(Instant.ofEpochMilli(start).toString(), a.path("context").path("eventTime").asText());

        await("the note", () -> offenses.notesOf(offense).size() == 1);
        String note = offenses.notesOf(offense).get(0).get("note_text").asText();
        assertTrue(note.contains("PROTECTED"), note);
        assertTrue(note.contains(a.path("result").path("snapshot").asText()), note);
        assertTrue(note.contains("expires " + a.path("result").path("expiresAt").asText()), note);

        offenses.advance(5_000);
        offenses.create(OTHER, offenses.now(), null);
        offenses.addEvents(offense, 40, null);
        JsonNode again = poll();
        assertEquals(2, again.get("read").asInt(), "the new offense and the grown one are read");
        assertEquals(0, again.get("started").size(), "an unmapped rule does nothing; more events are the same incident");
        assertEquals(1, scale.created());

        assertTrue(fake.table("/analytics/custom_actions/actions").isEmpty());
        assertTrue(fake.requests().stream().noneMatch(s -> s.path().contains("custom_actions")),
                "on QRadar on Cloud the app never tries to make custom actions");
        JsonNode health = json(admin.get("/api/health"));
        assertEquals("ok", health.path("offenses").path("poller").path("state").asText());
        await("the note's journal record", () -> action(id).path("timeline").findValuesAsText("event").contains("offense-note"));
        assertEquals(1, offenses.notesOf(offense).size());
        assertEquals(0, offenses.notesOf(before).size());
    }

    @Test
    void many_changed_offenses_are_read_in_range_pages_without_skipping_one() throws Exception {
        mapRansomwareRule();
        poll();
        java.util.List<Long> mapped = new java.util.ArrayList<>();
        for (int i = 0; i < 250; i++) {
            offenses.advance(1);
            long id = offenses.create(i % 50 == 7 ? RANSOMWARE : OTHER, offenses.now(), null);
            if (i % 50 == 7) {
                mapped.add(id);
            }
        }
        JsonNode p = poll();
        assertEquals(250, p.get("read").asInt());
        assertEquals(3, p.get("requests").asInt(), "pages of 100");
        assertEquals(5, p.get("started").size(), "one action per mapped offense");
        for (long id : mapped) {
            await("the note on " + id, () -> offenses.notesOf(id).size() == 1);
        }
        assertEquals(1, scale.created(), "offenses of one burst for one target and scope are one incident");
        assertEquals(0, poll().get("read").asInt());
    }

    @Test
    void a_custom_action_firing_and_an_offense_of_the_same_rule_and_target_are_one_incident() throws Exception {
        mapRansomwareRule();
        poll();
        String token = json(admin.send("POST", "/api/action-token/reveal", null)).get("token").asText();
        TestHttp rule = new TestHttp(app.port()).with("Authorization", "Bearer " + token);
        var fired = rule.send("POST", "/api/actions", "{\"type\":\"scale-snapshot\",\"target\":\"scale1\","
                + "\"context\":{\"rule\":\"Safeguard: mass file deletes on Storage Scale\"}}");
        assertEquals(202, fired.statusCode(), fired.body());
        String first = json(fired).get("id").asText();
        long offense = offenses.create(RANSOMWARE, offenses.now(), null);
        String second = poll().get("started").get(0).asText();
        assertEquals(first, action(second).path("action").path("coalescedInto").asText(),
                "the offense joins the incident the custom action opened");
        await("the snapshot", () -> action(first).path("action").path("status").asText().equals("protected"));
        await("the note", () -> offenses.notesOf(offense).size() == 1);
        assertEquals(1, scale.created());
        String note = offenses.notesOf(offense).get(0).get("note_text").asText();
        assertTrue(note.contains(NoteText.mark(first)), note);
    }

    @Test
    void a_restart_does_not_act_on_the_same_offense_again_even_when_the_bookmark_was_not_saved() throws Exception {
        mapRansomwareRule();
        poll();
        Path bookmark = tmp.resolve("store").resolve(Bookmark.FILE);
        Path before = tmp.resolve("bookmark-before");
        Files.copy(bookmark, before);
        long offense = offenses.create(RANSOMWARE, offenses.now(), null);
        String id = poll().get("started").get(0).asText();
        await("the snapshot", () -> action(id).path("action").path("status").asText().equals("protected"));
        await("the note", () -> offenses.notesOf(offense).size() == 1);

        // The app stops, and comes back as if it had crashed after the action was journaled but before the
        // bookmark moved past the offense: the offense is read again.
        app.stop();
        Files.copy(before, bookmark, StandardCopyOption.REPLACE_EXISTING);
        startApp();
        offenses.addEvents(offense, 3, null);
        JsonNode p = poll();
        assertEquals(1, p.get("read").asInt());
        assertEquals(id, p.get("started").get(0).asText(), "the same offense gets the same action: its idempotency key");
        JsonNode again = poll();
        assertEquals(0, again.get("started").size());
        assertEquals(1, scale.created(), "one snapshot");
        assertEquals(1, offenses.notesOf(offense).size(), "one note");
    }

    @Test
    void offense_triggers_name_enabled_rules_and_existing_targets_or_get_a_400_naming_the_element() throws Exception {
        String[][] cases = {
                {"[{\"ruleId\":" + RANSOMWARE + ",\"target\":\"scale1\"},{\"ruleId\":999,\"target\":\"scale1\"}]",
                        "offenseTriggers[1].ruleId"},
                {"[{\"ruleId\":" + DISABLED + ",\"target\":\"scale1\"}]", "offenseTriggers[0].ruleId"},
                {"[{\"ruleId\":" + RANSOMWARE + ",\"target\":\"nowhere\"}]", "offenseTriggers[0].target"},
                {"[{\"target\":\"scale1\"}]", "offenseTriggers[0].ruleId"},
                {"[{\"ruleId\":" + RANSOMWARE + ",\"target\":\"scale1\"},{\"ruleId\":" + RANSOMWARE
                        + ",\"target\":\"scale1\"}]", "offenseTriggers[1]"},
        };
        for (String[] c : cases) {
            var r = admin.send("PUT", "/api/settings", "{\"offenseTriggers\":" + c[0] + ",\"coalesceWindowSeconds\":60}");
            assertEquals(400, r.statusCode(), r.body());
            assertEquals(c[1], json(r).get("field").asText(), r.body());
        }
        var poll = admin.send("PUT", "/api/settings", "{\"offensePollSeconds\":1}");
        assertEquals("offensePollSeconds", json(poll).get("field").asText());
        JsonNode saved = json(admin.get("/api/settings"));
        assertEquals(0, saved.get("offenseTriggers").size(), "nothing of a refused change is written");
        assertEquals(300, saved.get("coalesceWindowSeconds").asInt());
        assertEquals(15, saved.get("offensePollSeconds").asInt());

        JsonNode rules = json(admin.get("/api/offenses/rules"));
        assertEquals(3, rules.size());
        assertEquals("Old ransomware rule", rules.get(2).get("name").asText());
        assertFalse(rules.get(2).get("enabled").asBoolean());
    }

    @Test
    void without_the_offenses_capability_polling_says_so_in_health_and_starts_nothing() throws Exception {
        mapRansomwareRule();
        poll();
        offenses.withhold("SEM");
        offenses.create(RANSOMWARE, offenses.now(), null);
        poll();
        JsonNode status = json(admin.get("/api/offenses/status")).get("poller");
        assertEquals("unauthorized", status.get("state").asText());
        assertTrue(status.get("message").asText().startsWith(OffensePoller.LACKS), status.toString());
        assertEquals("unauthorized", json(admin.get("/api/health")).path("offenses").path("poller").path("state").asText());
        assertEquals(0, scale.created());
    }

    @Test
    void a_console_that_answers_503_is_backed_off_from_and_the_offense_is_acted_on_once_it_recovers() throws Exception {
        mapRansomwareRule();
        poll();
        long offense = offenses.create(RANSOMWARE, offenses.now(), null);
        var unwell = console.wireMock().stubFor(get(urlPathEqualTo("/api/siem/offenses")).atPriority(1)
                .willReturn(aResponse().withStatus(503).withBody("{\"code\":1020,\"message\":\"busy\"}")));
        poll();
        JsonNode status = json(admin.get("/api/offenses/status")).get("poller");
        assertEquals("backing-off", status.get("state").asText());
        assertNotNull(status.get("retryAt").asText(null));
        console.wireMock().removeStub(unwell);
        JsonNode p = poll();
        assertEquals(1, p.get("started").size(), "nothing was skipped while the console was unwell");
        await("the note", () -> offenses.notesOf(offense).size() == 1);
    }
}
