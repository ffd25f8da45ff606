package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.SimpleDateFormat;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.scale.ScaleSimulator;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.dsm.CustomProperty;
import safeguard.dsm.Dsm;
import safeguard.dsm.DsmParser;
import safeguard.dsm.ParseResult;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/**
 * A rule fires: the custom action exactly as the app provisioned it in the console (script bytes, interpreter,
 * parameters in order, encrypted values as QRadar decrypts them to run it, dynamic ones from a real fixture
 * event) runs with python3, through the console's app proxy and its gates, into the app, to the Scale simulator.
 */
class RulePathTest {
    static final String APP_ID = "1051";
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Javalin app;
    TestHttp admin;
    FakeConsole fake;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
        if (scale != null) {
            scale.close();
        }
    }

    record Run(int status, String output) {
    }

    private void startInsideQradar() throws Exception {
        fake = console.fake();
        scale = ScaleSimulator.started(cert, 0).mountedUnder("/ibm"); // where the audit fixture's files are
        app = InsideQradar.start(console, tmp.resolve("store"), Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()),
                "QRADAR_APP_ID", APP_ID, "SEC_ADMIN_TOKEN", FakeConsole.TOKEN,
                "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.proxiesTo(APP_ID, "http://127.0.0.1:" + app.port());
        fake.signsIn("sec-admin", "admin", true);
        admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        assertEquals(200, admin.send("PUT", "/api/settings",
                "{\"actionServiceRoleId\":3,\"actionServiceProfileId\":4,\"actionServiceDays\":90}").statusCode());
        assertEquals(201, admin.send("POST", "/api/targets",
                ActionApp.scaleTarget(scale.port(), cert, false).toString()).statusCode());
    }

    private String revealOrRotate(String path) throws Exception {
        String token = Json.mapper().readTree(admin.send("POST", path, null).body()).get("token").asText();
        awaitArmed(token);
        return token;
    }

    /** Until the console's custom action carries this action token and the current service token. */
    private ObjectNode awaitArmed(String token) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            synchronized (fake) {
                for (ObjectNode a : fake.table("/analytics/custom_actions/actions")) {
                    Map<String, String> p = fake.actionParameters(a.get("id").asLong());
                    boolean service = fake.table("/config/access/authorized_services").stream()
                            .anyMatch(s -> s.get("_token").asText().equals(p.get("sec_token")));
                    if (token.equals(p.get("action_token")) && service) {
                        return a.deepCopy();
                    }
                }
            }
            Thread.sleep(25);
        }
        throw new AssertionError("the custom action was never armed: " + fake.table("/analytics/custom_actions/actions"));
    }

    /** The arguments QRadar passes: fixed values as stored (decrypted), dynamic ones from the event's columns. */
    private List<String> arguments(ObjectNode action, Map<String, String> event) {
        Map<String, String> stored = fake.actionParameters(action.get("id").asLong());
        List<String> args = new ArrayList<>();
        for (JsonNode p : action.get("parameters")) {
            String name = p.get("name").asText();
            args.add(p.get("parameter_type").asText().equals("fixed") ? stored.get(name)
                    : event.getOrDefault(p.get("value").asText(), ""));
        }
        return args;
    }

    private Run fire(ObjectNode action, List<String> args) throws Exception {
        Path script = tmp.resolve("script-" + action.get("script").asText() + ".py");
        Files.write(script, fake.script(action.get("script").asLong()));
        String interpreter = fake.table("/analytics/custom_actions/interpreters").stream()
                .filter(i -> i.get("id").asLong() == action.get("interpreter").asLong()).findFirst().orElseThrow()
                .get("name").asText();
        assertTrue(interpreter.contains("python"), interpreter);
        List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
        cmd.addAll(args);
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("RULE_NAME", "Safeguard: confidential file touched off-hours");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    private static Map<String, String> fixtureEvent() throws Exception {
        String line;
        try (InputStream in = RulePathTest.class.getResourceAsStream("/scale-audit/sample-events.log")) {
            line = new String(in.readAllBytes(), StandardCharsets.UTF_8).lines()
                    .filter(l -> l.contains("\"CLOSEWRITE\"")).findFirst().orElseThrow();
        }
        ParseResult.Parsed p = (ParseResult.Parsed) new DsmParser(Dsm.bundled()).parse(line);
        Map<String, String> columns = new HashMap<>(p.properties());
        // devicetime is epoch milliseconds; QRadar takes it from the record once Log Source Time is overridden with
        // the DSM's "Audit event time" expression (admin guide, Deploying the DSM), which keeps whole seconds.
        CustomProperty time = Dsm.bundled().customProperties().stream()
                .filter(c -> c.name().equals("Audit event time")).findFirst().orElseThrow();
        SimpleDateFormat format = new SimpleDateFormat(time.datetimeFormat(), Locale.US);
        columns.put("devicetime", Long.toString(format.parse(columns.get("Audit event time")).getTime()));
        return columns;
    }

    @Test
    void a_rule_firing_runs_the_provisioned_script_through_the_proxy_to_a_protected_snapshot() throws Exception {
        startInsideQradar();
        String token = revealOrRotate("/api/action-token/reveal");
        ObjectNode action = awaitArmed(token);
        Map<String, String> event = fixtureEvent();
        List<String> args = arguments(action, event);
        assertEquals(console.baseUrl() + "/console/plugins/" + APP_ID + "/app_proxy", args.get(0));

        Run r = fire(action, args);
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().startsWith("Safeguard Responder: scale-snapshot on scale1 protected at "), r.output());
        assertFalse(r.output().contains(token) || r.output().contains(args.get(2)), "no token printed");
        String id = r.output().replaceAll("(?s).*\\(action (a-[^)]+)\\).*", "$1");
        JsonNode d = ActionApp.awaitAction(admin, id, x -> x.at("/action/status").asText().equals("protected"));
        assertEquals(event.get("File path"), d.at("/action/context/path").asText());
        assertEquals("2022-11-15T05:34:23.000Z", d.at("/action/context/eventTime").asText(),
                "the record's eventTime 2022-11-15_00:34:23.048-0500, through devicetime");
        assertEquals(1, scale.created());
        assertTrue(fake.table("/config/access/authorized_services").get(0).hasNonNull("last_used_date"),
                "QRadar saw the script's service used");

        // A new service for the script: the old SEC stops at the proxy; the rearmed action goes through.
        assertEquals(200, admin.send("POST", "/api/content/action-caller/rotate", null).statusCode());
        Run old = fire(action, args);
        assertEquals(1, old.status(), old.output());
        assertTrue(old.output().contains("HTTP 401 from the console's app proxy"), old.output());
        ObjectNode rearmed = awaitArmed(token);
        Run covered = fire(rearmed, arguments(rearmed, event));
        assertEquals(0, covered.status(), covered.output());
        assertTrue(covered.output().contains("(action " + id + "); "), "covered by the protected action: " + covered.output());

        // A new action token: the old one is refused by the app itself.
        List<String> before = arguments(rearmed, event);
        String fresh = revealOrRotate("/api/action-token/rotate");
        assertNotEquals(token, fresh);
        Run oldToken = fire(rearmed, before);
        assertEquals(1, oldToken.status());
        assertTrue(oldToken.output().contains("HTTP 401 wrong action token"), oldToken.output());
    }

    @Test
    void without_sec_the_proxy_refuses_and_a_wrong_certificate_is_never_talked_to() throws Exception {
        startInsideQradar();
        String token = revealOrRotate("/api/action-token/reveal");
        ObjectNode action = awaitArmed(token);
        List<String> args = arguments(action, fixtureEvent());

        List<String> noSec = new ArrayList<>(args);
        noSec.set(2, "none");
        Run r = fire(action, noSec);
        assertEquals(1, r.status());
        assertTrue(r.output().contains("HTTP 401 from the console's app proxy"), r.output());

        List<String> otherPin = new ArrayList<>(args);
        otherPin.set(3, "00:11:22");
        int seen = fake.proxied.get();
        Run pinned = fire(action, otherPin);
        assertEquals(1, pinned.status());
        assertTrue(pinned.output().contains("not the pinned one"), pinned.output());
        assertEquals(seen, fake.proxied.get(), "nothing was sent to a console with another certificate");
        assertTrue(scale.names().isEmpty());
    }

    @Test
    void a_users_session_must_show_the_csrf_token_to_change_anything_through_the_proxy() throws Exception {
        startInsideQradar();
        TestHttp viaProxy = new TestHttp(console.baseUrl() + "/console/plugins/" + APP_ID + "/app_proxy",
                ConsoleExtension.trust()).with("Cookie", "SEC=sec-admin");
        assertEquals(200, viaProxy.get("/api/settings").statusCode(), "reads need only the session");
        assertEquals(403, viaProxy.send("PUT", "/api/settings", "{\"dryRunAll\":true}").statusCode());
        var ok = viaProxy.with("QRadarCSRF", fake.csrfOf("sec-admin")).with("X-Requested-With", "XMLHttpRequest")
                .send("PUT", "/api/settings", "{\"dryRunAll\":true}");
        assertEquals(200, ok.statusCode(), ok.body());
        assertEquals(401, new TestHttp(console.baseUrl() + "/console/plugins/" + APP_ID + "/app_proxy",
                ConsoleExtension.trust()).get("/api/settings").statusCode(), "no SEC, no entry");
    }
}
