package safeguard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.TestHttp;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/** Inside QRadar the console decides who is calling; the app asks it with the caller's SEC. */
class QradarAccessTest {
    static final String SETTINGS = "{\"coalesceWindowSeconds\":60}";
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    Javalin app;
    TestHttp http;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-23T10:00:00Z"));

    @BeforeEach
    void start() {
        app = InsideQradar.start(console, tmp.resolve("store"), clock, console.service(),
                Map.of("SEC_ADMIN_TOKEN", FakeConsole.TOKEN));
        http = new TestHttp(app.port());
        console.fake().signsIn("sec-alice", "alice", true);
        console.fake().signsIn("sec-bob", "bob", false);
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    @Test
    void a_qradar_admin_may_change_configuration_and_an_analyst_may_only_look() throws Exception {
        TestHttp alice = http.with("Cookie", "SEC=sec-alice; QRadarCSRF=c1").with("QRadarCSRF", "c1");
        TestHttp bob = http.with("Cookie", "SEC=sec-bob; QRadarCSRF=c2").with("QRadarCSRF", "c2");

        JsonNode me = Json.mapper().readTree(bob.get("/api/session").body());
        assertEquals("bob", me.get("user").asText());
        assertFalse(me.get("admin").asBoolean());
        assertEquals(200, bob.get("/api/targets").statusCode());
        assertEquals(200, bob.get("/api/settings").statusCode());
        var refused = bob.send("PUT", "/api/settings", SETTINGS);
        assertEquals(403, refused.statusCode());
        assertTrue(refused.body().contains("only a QRadar administrator"), refused.body());
        assertEquals(403, bob.send("POST", "/api/action-token/rotate", null).statusCode());
        assertEquals(403, bob.send("POST", "/api/reference-sets/Confidential-Files/elements", "{\"values\":[\"x.csv\"]}").statusCode());
        assertFalse(Files.exists(tmp.resolve("store/settings.json")), "nothing written for a refused caller");
        // Restores are for administrators; an analyst may look at the proposed recovery point only.
        var restore = bob.send("POST", "/api/recoveries", "{\"action\":\"a-x\",\"dryRun\":true}");
        assertEquals(403, restore.statusCode(), restore.body());
        assertEquals(403, bob.send("POST", "/api/recoveries/a-x/end", "{\"confirm\":\"t\"}").statusCode());
        var look = bob.get("/api/recoveries/proposal?action=a-x");
        assertEquals(400, look.statusCode(), "viewers may ask; this one names no action that exists: " + look.body());

        assertTrue(Json.mapper().readTree(alice.get("/api/session").body()).get("admin").asBoolean());
        assertEquals(200, alice.send("PUT", "/api/settings", SETTINGS).statusCode());
    }

    @Test
    void without_a_valid_qradar_session_nothing_but_health_answers() {
        assertEquals(200, http.get("/api/health").statusCode());
        assertEquals(200, http.get("/debug").statusCode());
        var none = http.get("/api/targets");
        assertEquals(401, none.statusCode());
        assertEquals("QRadar-SEC", none.headers().firstValue("WWW-Authenticate").orElse(""));
        assertEquals(401, http.with("Cookie", "SEC=forged").get("/api/targets").statusCode());
        assertEquals(401, http.with("Authorization", "Bearer sga_whatever").get("/api/targets").statusCode(),
                "the local admin token means nothing inside QRadar");
    }

    @Test
    void the_console_is_asked_once_a_minute_per_session_not_once_per_request() {
        TestHttp alice = http.with("SEC", "sec-alice");
        for (int i = 0; i < 5; i++) {
            assertEquals(200, alice.get("/api/targets").statusCode());
        }
        assertEquals(1, console.fake().whoAmICalls.get());
        console.fake().signsOut("sec-alice"); // signed out in QRadar: the app notices within the minute
        clock.advance(Duration.ofSeconds(61));
        assertEquals(401, alice.get("/api/targets").statusCode());
        assertEquals(2, console.fake().whoAmICalls.get());
    }

    @Test
    void an_unknown_sec_is_looked_up_once_and_then_refused_without_asking_for_a_while() {
        TestHttp forged = http.with("Cookie", "SEC=made-up-sec");
        assertEquals(401, forged.get("/api/targets").statusCode());
        long oneLookup = refusedByConsole();
        assertTrue(oneLookup >= 1, "the console was asked");
        for (int i = 0; i < 4; i++) {
            assertEquals(401, forged.get("/api/targets").statusCode());
        }
        assertEquals(oneLookup, refusedByConsole(), "not asked again within the TTL");
        clock.advance(Duration.ofSeconds(31));
        assertEquals(401, forged.get("/api/targets").statusCode());
        assertEquals(2 * oneLookup, refusedByConsole(), "asked again once the refusal expired");

        console.fake().signsIn("made-up-sec-2", "carol", false);
        assertEquals(200, http.with("SEC", "made-up-sec-2").get("/api/targets").statusCode(), "another SEC is its own");
    }

    /** The console's answers to the made-up session (the app's own calls, made meanwhile, succeed). */
    private long refusedByConsole() {
        return console.fake().requests().stream().filter(r -> r.status() == 401).count();
    }

    @Test
    void a_browser_cookie_alone_cannot_change_anything_without_the_csrf_header() {
        var r = http.with("Cookie", "SEC=sec-alice").send("PUT", "/api/settings", SETTINGS);
        assertEquals(403, r.statusCode());
        assertTrue(r.body().contains("X-Requested-With"), r.body());
    }

    @Test
    void qradar_itself_calling_with_the_apps_token_may_run_the_uninstall_hook() {
        var r = http.with("SEC", FakeConsole.TOKEN).send("POST", "/api/content/uninstall", null);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(0, console.fake().whoAmICalls.get(), "the app's own token is not a user session");
        assertEquals(401, http.send("POST", "/api/content/uninstall", null).statusCode());
    }
}
