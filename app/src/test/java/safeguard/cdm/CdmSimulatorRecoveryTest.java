package safeguard.cdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import safeguard.SimulatorHttp;
import safeguard.SimulatorHttp.Reply;
import safeguard.TestCerts;

/** The CDM simulator's end_iv of a restore left mounted (RECOVER-FACTS.md, storage-apis.md §3.2/§3.3). */
class CdmSimulatorRecoveryTest {
    static final String JSON = "application/json";
    static final String JOB = "/api/endeavour/job/1005";

    CdmSimulator cdm;
    SimulatorHttp http;
    boolean noViolations = true;

    @BeforeEach
    void start() {
        cdm = new CdmSimulator(TestCerts.localhost());
        cdm.start();
        cdm.readsToFinish = 0;
        cdm.runEndsAs = "RESOURCE ACTIVE";
        String basic = Base64.getEncoder().encodeToString("cdmadmin:pw".getBytes(StandardCharsets.UTF_8));
        String session = new SimulatorHttp(cdm).with("Authorization", "Basic " + basic)
                .send("POST", "/api/endeavour/session", null, null).json().path("sessionid").asText();
        http = new SimulatorHttp(cdm).with("X-Endeavour-Sessionid", session).with("Accept", JSON);
    }

    @AfterEach
    void stop() {
        cdm.close();
        if (noViolations) {
            assertEquals(List.of(), cdm.violations());
        }
    }

    /** Starts the restore job and reads it once: its new run is then {@code runEndsAs}; returns lastrun. */
    private JsonNode startAndRead() {
        assertEquals(200, http.send("POST", JOB + "?action=start&actionname=start", JSON, "{}").status());
        return http.get(JOB).json().path("lastrun");
    }

    private Reply endIv(String sessionId) {
        return http.send("POST", "/api/endeavour/jobsession/" + sessionId + "?action=resume&actionname=end_iv", JSON, "{}");
    }

    @Test
    void end_iv_ends_a_resource_active_run_as_completed() {
        JsonNode lastrun = startAndRead();
        assertEquals("RESOURCE ACTIVE", lastrun.path("status").asText());
        Reply r = endIv(lastrun.path("sessionId").asText());
        assertEquals(200, r.status());
        assertEquals("{}", r.body());
        assertEquals("COMPLETED", http.get(JOB).json().at("/lastrun/status").asText());
        List<CdmSimulator.Run> runs = cdm.runs("1005");
        assertEquals("COMPLETED", runs.get(runs.size() - 1).status());
        assertEquals(1, cdm.endIvs());
    }

    @Test
    void an_unknown_session_is_404_with_an_endeavour_error() {
        Reply r = endIv("4711");
        assertEquals(404, r.status());
        assertEquals("NotFound", r.json().path("id").asText());
        assertTrue(r.json().path("description").asText().contains("4711"));
        assertEquals(1, cdm.endIvs());
    }

    @Test
    void a_run_that_is_not_resource_active_is_409_and_keeps_its_status() {
        String sessionId = startAndRead().path("sessionId").asText();
        assertEquals(200, endIv(sessionId).status());
        assertEquals(409, endIv(sessionId).status(), "already ended");
        assertEquals(409, endIv("900").status(), "the seeded run completed long ago");

        cdm.readsToFinish = 5;
        assertEquals(200, http.send("POST", JOB + "?action=start&actionname=start", JSON, "{}").status());
        JsonNode running = http.get(JOB).json().path("lastrun");
        assertEquals("RUNNING", running.path("status").asText());
        assertEquals(409, endIv(running.path("sessionId").asText()).status());
        assertEquals("RUNNING", http.get(JOB).json().at("/lastrun/status").asText());
    }

    @Test
    void end_iv_needs_the_session_header() {
        String sessionId = startAndRead().path("sessionId").asText();
        Reply r = new SimulatorHttp(cdm).send("POST", "/api/endeavour/jobsession/" + sessionId
                + "?action=resume&actionname=end_iv", JSON, "{}");
        assertEquals(401, r.status());
        assertEquals("RESOURCE ACTIVE", http.get(JOB).json().at("/lastrun/status").asText());
    }

    @Test
    void a_resume_without_both_query_parameters_is_a_violation_and_ends_nothing() {
        noViolations = false;
        String sessionId = startAndRead().path("sessionId").asText();
        List<Reply> breaches = List.of(
                http.send("POST", "/api/endeavour/jobsession/" + sessionId + "?action=resume", JSON, "{}"),
                http.send("POST", "/api/endeavour/jobsession/" + sessionId + "?actionname=end_iv", JSON, "{}"),
                http.send("POST", "/api/endeavour/jobsession/" + sessionId + "?action=start&actionname=end_iv", JSON, "{}"));
        breaches.forEach(b -> assertEquals(400, b.status(), b.body()));
        assertEquals(breaches.size(), cdm.violations().size(), cdm.violations().toString());
        assertEquals("RESOURCE ACTIVE", http.get(JOB).json().at("/lastrun/status").asText());
    }
}
