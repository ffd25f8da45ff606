package safeguard.csm;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.containing;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
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
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.StepResult;
import safeguard.targets.Connector;
import safeguard.targets.CsmSettings;
import safeguard.targets.StorageFixture;

/** Copy Services Manager REST API, simulated with the shapes of IBM's DS8000 sample, pyCSM and the REXX framework. */
class CsmClientTest {
    static final String WEB = "/CSM/web";
    static final String SESSION = WEB + "/sessions/SGC_DB1";

    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    StorageFixture f;


    @BeforeEach
    void start() {
        f = new StorageFixture(tmp, cert);
        f.targets.create(f.csm("csm1", new CsmSettings("SGC_DB1", "Backup", null, List.of())));
        f.wm.stubFor(post(urlPathEqualTo(WEB + "/system/v1/tokens"))
                .withHeader("Content-Type", containing("application/x-www-form-urlencoded"))
                .withRequestBody(containing("username=csmadmin"))
                .willReturn(okJson("{\"token\":\"tok-1\",\"msg\":\"IWNR1500I\"}")));
        f.wm.stubFor(get(urlPathEqualTo(SESSION + "/availablecommands")).withHeader("X-Auth-Token", equalTo("tok-1"))
                .willReturn(okJson("[\"Backup\",\"Recover\",\"Expire Backup\",\"Refresh States\"]")));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private StepResult backup() {
        try (Connector.Session s = f.connector.open("csm1")) {
            return f.connector.csm(s).runSessionCommand("SGC_DB1", "Backup");
        }
    }

    static String session(String... backupIds) {
        StringBuilder b = new StringBuilder("{\"name\":\"SGC_DB1\",\"status\":\"Normal\",\"state\":\"Protected\",\"haserror\":false,"
                + "\"backupInfo\":[{\"backupSequence\":1,\"BackupResults\":[");
        for (int i = 0; i < backupIds.length; i++) {
            b.append(i == 0 ? "" : ",").append("{\"backupID\":\"").append(backupIds[i])
                    .append("\",\"valid\":true,\"timestamp\":1714644903000}");
        }
        return b.append("]}]}").toString();
    }

    void sessionReads(String... bodies) {
        String state = Scenario.STARTED;
        for (int i = 0; i < bodies.length; i++) {
            String next = i == bodies.length - 1 ? state : "read-" + (i + 1);
            f.wm.stubFor(get(urlPathEqualTo(SESSION)).inScenario("backups").whenScenarioStateIs(state)
                    .willReturn(okJson(bodies[i])).willSetStateTo(next));
            state = next;
        }
    }

    void command(String msg) {
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).withRequestBody(equalTo("cmd=Backup")).willReturn(okJson(
                "{\"msg\":\"" + msg + "\",\"msgTranslated\":\"" + msg + " [May 2, 2024 10:15:03 AM] The Backup command in the SGC_DB1 session completed.\","
                        + "\"inserts\":[\"Backup\",\"SGC_DB1\"],\"timestamp\":1714644903000}")));
    }

    @Test
    void a_backup_is_run_and_confirmed_by_a_new_backup_entry() {
        command("IWNR1026I");
        sessionReads(session("1714558500"), session("1714558500"), session("1714558500", "1714644903"));
        StepResult r = backup();
        assertTrue(r.ok(), r.toString());
        assertTrue(r.verified());
        assertEquals("1714644903", r.details().get("backupId"));
        assertEquals("IWNR1026I", r.details().get("message"));
        f.wm.verify(postRequestedFor(urlPathEqualTo(SESSION)).withHeader("X-Auth-Token", equalTo("tok-1"))
                .withHeader("Accept-Language", equalTo("en-US")));
    }

    @Test
    void an_expired_token_gets_one_re_login() {
        f.wm.stubFor(post(urlPathEqualTo(WEB + "/system/v1/tokens")).inScenario("tokens").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(okJson("{\"token\":\"tok-old\"}")).willSetStateTo("second"));
        f.wm.stubFor(post(urlPathEqualTo(WEB + "/system/v1/tokens")).inScenario("tokens").whenScenarioStateIs("second")
                .willReturn(okJson("{\"token\":\"tok-1\"}")));
        f.wm.stubFor(get(urlPathEqualTo(SESSION + "/availablecommands")).withHeader("X-Auth-Token", equalTo("tok-old"))
                .willReturn(aResponse().withStatus(401)));
        command("IWNR1026I");
        sessionReads(session(), session("1714644903"));
        StepResult r = backup();
        assertTrue(r.ok(), r.toString());
        assertEquals(2, r.calls().stream().filter(c -> c.operation().equals("login")).count());
    }

    @Test
    void a_message_ending_in_e_is_a_failure_with_csms_text() {
        command("IWNR1028E");
        sessionReads(session("1714558500"));
        StepResult r = backup();
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("CSM answered IWNR1028E: IWNR1028E"), r.error());
    }

    @Test
    void a_warning_still_succeeds_and_is_kept() {
        command("IWNR1029W");
        sessionReads(session(), session("1714644903"));
        StepResult r = backup();
        assertTrue(r.ok(), r.toString());
        assertTrue(r.details().get("warning").contains("IWNR1029W"));
    }

    @Test
    void a_command_the_session_does_not_offer_now_is_not_sent() {
        f.wm.stubFor(get(urlPathEqualTo(SESSION + "/availablecommands")).withHeader("X-Auth-Token", equalTo("tok-1"))
                .willReturn(okJson("[\"Recover\",\"Refresh States\"]")));
        StepResult r = backup();
        assertFalse(r.ok());
        assertEquals("command 'Backup' is not available for session 'SGC_DB1' now (available: Recover, Refresh States)", r.error());
        f.wm.verify(0, postRequestedFor(urlPathEqualTo(SESSION)));
    }

    @Test
    void a_backup_that_never_appears_is_not_claimed() {
        command("IWNR1026I");
        f.wm.stubFor(get(urlPathEqualTo(SESSION)).willReturn(okJson(session("1714558500"))));
        StepResult r = backup();
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("CSM accepted the Backup but no new backup appeared"), r.error());
    }

    @Test
    void a_scheduled_task_is_run_by_name_as_the_ds8000_sample_does() {
        f.wm.stubFor(get(urlPathEqualTo(WEB + "/sessions/scheduledtasks")).willReturn(okJson(
                "[{\"id\":3,\"name\":\"Suspend MM\",\"enabled\":true},{\"id\":7,\"name\":\"SGC Backup DB1\",\"enabled\":true,\"running\":false}]")));
        f.wm.stubFor(post(urlPathEqualTo(WEB + "/sessions/scheduledtasks/7")).willReturn(okJson(
                "{\"msg\":\"IWNR2211I\",\"msgTranslated\":\"IWNR2211I The scheduled task SGC Backup DB1 was started.\"}")));
        try (Connector.Session s = f.connector.open("csm1")) {
            StepResult r = f.connector.csm(s).runScheduledTask("SGC Backup DB1");
            assertTrue(r.ok(), r.toString());
            assertEquals("7", r.details().get("taskId"));
            assertEquals("IWNR2211I", r.details().get("message"));
        }
    }

    @Test
    void an_unknown_session_is_named_by_test_connection() {
        f.wm.stubFor(get(urlPathEqualTo(SESSION + "/availablecommands")).willReturn(aResponse().withStatus(404)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"msg\":\"IWNR1050E\",\"msgTranslated\":\"IWNR1050E The session SGC_DB1 does not exist.\"}")));
        var t = f.connector.test("csm1");
        assertFalse(t.ok());
        assertEquals("session 'SGC_DB1' not found (HTTP 404): IWNR1050E The session SGC_DB1 does not exist.", t.error());
    }

    @Test
    void a_refused_login_says_so_without_the_password() {
        f.wm.stubFor(post(urlPathEqualTo(WEB + "/system/v1/tokens")).atPriority(1).willReturn(aResponse().withStatus(401)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"msg\":\"IWNR1507E\",\"msgTranslated\":\"IWNR1507E The user name or password is not valid.\"}")));
        var t = f.connector.test("csm1");
        assertFalse(t.ok());
        assertEquals("login refused (HTTP 401): IWNR1507E The user name or password is not valid.", t.error());
        assertFalse(t.toString().contains(StorageFixture.PASSWORD));
    }

    @Test
    void a_500_is_retried_then_the_command_succeeds() {
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(503)).willSetStateTo("up"));
        f.wm.stubFor(post(urlPathEqualTo(SESSION)).inScenario("flaky").whenScenarioStateIs("up")
                .willReturn(okJson("{\"msg\":\"IWNR1026I\"}")));
        sessionReads(session(), session("1714644903"));
        StepResult r = backup();
        assertTrue(r.ok(), r.toString());
        assertTrue(r.calls().stream().anyMatch(c -> c.outcome().equals("HTTP 503, retrying")));
    }

    @Test
    void a_csm_that_does_not_answer_in_time_is_reported_as_a_timeout() {
        f.wm.stubFor(get(urlPathEqualTo(SESSION + "/availablecommands")).atPriority(1)
                .willReturn(okJson("[\"Backup\"]").withFixedDelay(3000)));
        StepResult r = backup();
        assertFalse(r.ok());
        assertEquals("timed out", r.error());
        f.wm.verify(0, postRequestedFor(urlPathEqualTo(SESSION)));
    }
}
