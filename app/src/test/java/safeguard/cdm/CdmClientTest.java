package safeguard.cdm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.delete;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.StepResult;
import safeguard.targets.Connector;
import safeguard.targets.StorageFixture;

/** Copy Data Management ("endeavour") API, simulated with the shapes of IBM's CDM sample and ecxclient. */
class CdmClientTest {
    static final String SESSION = "/api/endeavour/session";
    static final String JOBS = "/api/endeavour/job";
    static final String JOB = "/api/endeavour/job/1005";

    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    StorageFixture f;


    @BeforeEach
    void start() {
        f = new StorageFixture(tmp, cert);
        f.targets.create(f.cdm("cdm1"));
        f.wm.stubFor(post(urlPathEqualTo(SESSION))
                .withBasicAuth("cdmadmin", StorageFixture.PASSWORD)
                .willReturn(okJson("{\"sessionid\":\"sess-1\",\"user\":{\"name\":\"cdmadmin\"}}")));
        f.wm.stubFor(delete(urlPathEqualTo(SESSION)).willReturn(aResponse().withStatus(204)));
        f.wm.stubFor(get(urlPathEqualTo(JOBS)).withHeader("X-Endeavour-Sessionid", equalTo("sess-1")).willReturn(okJson(
                "{\"total\":2,\"jobs\":[{\"id\":\"1001\",\"name\":\"Nightly SLA\",\"status\":\"IDLE\"},"
                        + "{\"id\":\"1005\",\"name\":\"SQL-CleanRoom-Restore\",\"status\":\"IDLE\",\"lastrun\":{\"sessionId\":\"900\",\"status\":\"COMPLETED\"}}]}")));
        f.wm.stubFor(post(urlPathEqualTo(JOB)).withQueryParam("action", equalTo("start"))
                .withQueryParam("actionname", equalTo("start")).withRequestBody(equalToJson("{}"))
                .willReturn(okJson("{\"id\":\"1005\",\"status\":\"PENDING\"}")));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    static String run(String session, String status) {
        return "{\"id\":\"1005\",\"name\":\"SQL-CleanRoom-Restore\",\"status\":\"RUNNING\",\"lastrun\":{\"sessionId\":\""
                + session + "\",\"status\":\"" + status + "\"}}";
    }

    void polls(String... bodies) {
        String state = Scenario.STARTED;
        for (int i = 0; i < bodies.length; i++) {
            String next = i == bodies.length - 1 ? state : "poll-" + (i + 1);
            f.wm.stubFor(get(urlPathEqualTo(JOB)).inScenario("run").whenScenarioStateIs(state)
                    .willReturn(okJson(bodies[i])).willSetStateTo(next));
            state = next;
        }
    }

    private StepResult runJob() {
        try (Connector.Session s = f.connector.open("cdm1")) {
            return f.connector.cdm(s).runJob("sql-cleanroom-restore");
        }
    }

    @Test
    void the_job_is_found_by_name_started_and_followed_to_completion_then_the_session_ends() {
        polls(run("900", "COMPLETED"), run("901", "RUNNING"), run("901", "RUNNING"), run("901", "COMPLETED"));
        StepResult r = runJob();
        assertTrue(r.ok(), r.toString());
        assertEquals("901", r.details().get("runId"));
        assertEquals("COMPLETED", r.details().get("status"));
        f.wm.verify(postRequestedFor(urlPathEqualTo(JOB)).withHeader("X-Endeavour-Sessionid", equalTo("sess-1")));
        f.wm.verify(deleteRequestedFor(urlPathEqualTo(SESSION)).withHeader("X-Endeavour-Sessionid", equalTo("sess-1")));
        assertEquals("logout", r.calls().get(r.calls().size() - 1).operation());
    }

    @Test
    void a_restore_left_mounted_is_reported_as_active_not_waited_on() {
        polls(run("901", "RUNNING"), run("901", "RESOURCE ACTIVE"));
        StepResult r = runJob();
        assertTrue(r.ok(), r.toString());
        assertEquals("RESOURCE ACTIVE", r.details().get("status"));
        assertTrue(r.details().get("note").startsWith("restore is active"));
    }

    @Test
    void a_failed_run_is_a_failure() {
        polls(run("901", "RUNNING"), run("901", "FAILED"));
        StepResult r = runJob();
        assertFalse(r.ok());
        assertEquals("job run 901 ended FAILED", r.error());
    }

    @Test
    void a_run_that_outlasts_the_timeout_is_given_up() {
        f.wm.stubFor(get(urlPathEqualTo(JOB)).willReturn(okJson(run("901", "RUNNING"))));
        StepResult r = runJob();
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("job still running after 12 polls"), r.error()); // 60 s / 5 s
    }

    @Test
    void an_expired_session_gets_one_re_login() {
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).inScenario("login").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"sessionid\":\"sess-old\"}")).willSetStateTo("again"));
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).inScenario("login").whenScenarioStateIs("again")
                .willReturn(okJson("{\"sessionid\":\"sess-1\"}")));
        f.wm.stubFor(get(urlPathEqualTo(JOBS)).withHeader("X-Endeavour-Sessionid", equalTo("sess-old"))
                .willReturn(aResponse().withStatus(401)));
        polls(run("901", "COMPLETED"));
        StepResult r = runJob();
        assertTrue(r.ok(), r.toString());
        assertEquals(2, r.calls().stream().filter(c -> c.operation().equals("login")).count());
    }

    @Test
    void bad_credentials_show_cdms_description() {
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).atPriority(1).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"id\":\"XSBAuthenticationException\",\"description\":\"Invalid username or password\",\"title\":\"Error\"}")));
        StepResult r = runJob();
        assertFalse(r.ok());
        assertEquals("login refused (HTTP 401): Invalid username or password", r.error());
    }

    @Test
    void an_unknown_job_is_named_by_test_connection() {
        f.targets.create(new safeguard.targets.TargetInput("cdm", "cdm2", "localhost", f.port(), "cdmadmin",
                StorageFixture.PASSWORD, f.trusted(), 2, 5, null, null,
                new safeguard.targets.CdmSettings("Oracle restore", 5, 60, java.util.List.of()), null));
        var t = f.connector.test("cdm2");
        assertFalse(t.ok());
        assertEquals("no job named 'Oracle restore'", t.error());
    }

    @Test
    void a_500_when_starting_is_retried_then_the_run_is_followed() {
        f.wm.stubFor(post(urlPathEqualTo(JOB)).atPriority(1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500)).willSetStateTo("up"));
        polls(run("901", "COMPLETED"));
        StepResult r = runJob();
        assertTrue(r.ok(), r.toString());
        assertTrue(r.calls().stream().anyMatch(c -> c.outcome().equals("HTTP 500, retrying")));
    }

    @Test
    void a_cdm_that_does_not_answer_in_time_is_reported_as_a_timeout_and_logged_out() {
        f.wm.stubFor(get(urlPathEqualTo(JOBS)).atPriority(1).willReturn(okJson("{\"jobs\":[]}").withFixedDelay(3000)));
        StepResult r = runJob();
        assertFalse(r.ok());
        assertEquals("timed out", r.error());
        f.wm.verify(deleteRequestedFor(urlPathEqualTo(SESSION)));
    }
}
