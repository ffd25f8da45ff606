package safeguard.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.cdm.CdmSimulator;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.store.Store;

/**
 * POST /api/targets/{name}/test never holds its request while a slow storage system answers: the result when it
 * comes within a few seconds, else 202 and the test followed at GET .../test, where its last result stays.
 */
class ConnectionTestRoutesTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert);
    @TempDir
    Path tmp;
    Javalin app;
    TestHttp http;

    @BeforeEach
    void start() throws Exception {
        cdm.credentials("cdmadmin", "pw-cdm1");
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
        HttpResponse<String> made = http.send("POST", "/api/targets", target("pw-cdm1").toString());
        assertEquals(201, made.statusCode(), made.body());
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private ObjectNode target(String password) throws Exception {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "cdm").put("name", "cdm1").put("host", "localhost").put("port", cdm.port())
                .put("username", "cdmadmin").put("password", password);
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("cdm").put("jobName", "SQL-CleanRoom-Restore").put("pollIntervalSeconds", 10);
        // Readiness never calls a dry-run target, so every call CDM sees here is the connection test's own.
        t.put("dryRun", true);
        return t;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    private HttpResponse<String> awaitResult() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        HttpResponse<String> r = null;
        while (System.nanoTime() < deadline) {
            r = http.get("/api/targets/cdm1/test");
            if (r.statusCode() != 202) {
                return r;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("the test never ended: " + r.body());
    }

    @Test
    void a_test_that_cdm_answers_slowly_is_answered_202_and_its_result_is_followed_until_it_arrives() throws Exception {
        var held = cdm.holdAnswer("GET", "/api/endeavour/job");

        HttpResponse<String> asked = http.send("POST", "/api/targets/cdm1/test", null);
        assertEquals(202, asked.statusCode(), asked.body());
        assertTrue(held.arrived(), "the test reached CDM and waits for its answer");
        JsonNode running = json(asked);
        assertEquals("running", running.get("state").asText(), asked.body());
        assertEquals("cdm1", running.get("target").asText());
        assertEquals("api/targets/cdm1/test", asked.headers().firstValue("Location").orElse(null));

        HttpResponse<String> followed = http.get("/api/targets/cdm1/test");
        assertEquals(202, followed.statusCode(), followed.body());
        assertEquals(running.get("startedAt"), json(followed).get("startedAt"));
        HttpResponse<String> again = http.send("POST", "/api/targets/cdm1/test", null);
        assertEquals(202, again.statusCode(), again.body());
        assertEquals(running.get("startedAt"), json(again).get("startedAt"), "the running test is followed, not doubled");
        assertEquals(1, cdm.logins(), "one test, one login");

        held.release();
        HttpResponse<String> done = awaitResult();
        assertEquals(200, done.statusCode(), done.body());
        JsonNode r = json(done);
        assertTrue(r.get("ok").asBoolean(), done.body());
        assertEquals("1005", r.at("/found/jobId").asText(), done.body());
        assertEquals(r, json(http.get("/api/targets/cdm1/test")), "the last result stays");
        assertEquals(List.of(), cdm.violations());
    }

    @Test
    void a_test_that_ends_quickly_is_answered_with_its_result_and_forgotten_when_the_target_changes() throws Exception {
        assertEquals(404, http.get("/api/targets/cdm1/test").statusCode(), "never tested");

        HttpResponse<String> r = http.send("POST", "/api/targets/cdm1/test", null);
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(json(r).get("ok").asBoolean(), r.body());
        assertEquals(json(r), json(http.get("/api/targets/cdm1/test")));

        HttpResponse<String> changed = http.send("PUT", "/api/targets/cdm1", target("wrong-pw").toString());
        assertEquals(200, changed.statusCode(), changed.body());
        assertEquals(404, http.get("/api/targets/cdm1/test").statusCode(), "a test of the old settings says nothing now");
        HttpResponse<String> refused = http.send("POST", "/api/targets/cdm1/test", null);
        assertEquals(200, refused.statusCode(), refused.body());
        assertFalse(json(refused).get("ok").asBoolean(), refused.body());
        assertEquals(404, http.get("/api/targets/nope/test").statusCode());
        assertEquals(List.of(), cdm.violations());
    }
}
