package safeguard.cdm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.CallRecord;
import safeguard.http.Protection;
import safeguard.http.Verdict;
import safeguard.targets.CdmSettings;
import safeguard.targets.Connector;
import safeguard.targets.StorageFixture;
import safeguard.targets.TargetInput;

/** Copy Data Management ("endeavour") API, against the stateful simulator of storage-apis.md §3. */
class CdmClientTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert);
    @TempDir
    Path tmp;
    StorageFixture f;
    List<CallRecord> calls = List.of();

    @BeforeEach
    void start() {
        cdm.credentials("cdmadmin", StorageFixture.PASSWORD);
        f = new StorageFixture(tmp, cert, cdm);
        f.targets.create(f.cdm("cdm1"));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Protection runJob(Instant since) {
        try (Connector.Session s = f.connector.open("cdm1")) {
            Protection p = f.connector.cdm(s).runJob("sql-cleanroom-restore", since);
            calls = s.upstream().calls();
            return p;
        }
    }

    @Test
    void the_job_is_found_by_name_started_and_its_new_run_followed_to_completion() {
        cdm.readsToFinish = 2;
        Protection p = runJob(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("901", p.details().get("runId"));
        assertEquals("COMPLETED", p.details().get("status"));
        assertEquals(1, cdm.started("1005"));
        assertEquals(2, f.pollPauses.size(), "checked at once, then every 5 s (with jitter) while it ran");
    }

    @Test
    void a_restore_already_active_at_the_first_check_is_protected_without_any_pause() {
        cdm.readsToFinish = 0;
        cdm.runEndsAs = "RESOURCE ACTIVE";
        Protection p = runJob(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("RESOURCE ACTIVE", p.details().get("status"));
        assertTrue(p.details().get("note").startsWith("restore is active"));
        assertEquals(List.of(), f.pollPauses, "the first status check comes at once, not after the 5 s interval");
    }

    @Test
    void a_failed_run_is_not_protected() {
        cdm.runEndsAs = "FAILED";
        Protection p = runJob(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("job run 901 ended FAILED", p.error());
    }

    @Test
    void a_run_still_going_at_the_confirmation_bound_is_unknown() {
        cdm.readsToFinish = 1_000_000;
        Protection p = runJob(null);
        assertEquals(Verdict.UNKNOWN, p.verdict());
        assertEquals("job run 901 still RUNNING after 60 s; not waiting longer (see CDM)", p.error());
        assertEquals(Duration.ofSeconds(60), f.pollPauses.stream().reduce(Duration.ZERO, Duration::plus));
    }

    @Test
    void the_session_is_kept_for_the_next_action_and_renewed_once_when_it_expires() {
        runJob(null);
        runJob(null);
        assertEquals(1, cdm.logins(), "one login for two actions");
        assertEquals(0, cdm.logouts());
        cdm.expireSessions();
        Protection p = runJob(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals(2, cdm.logins());
        assertEquals(3, cdm.started("1005"));
    }

    @Test
    void bad_credentials_say_the_credentials_were_refused_with_cdms_description() {
        cdm.credentials("cdmadmin", "another password");
        Protection p = runJob(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("CDM refused the credentials of user 'cdmadmin' (HTTP 401): Invalid username or password", p.error());
    }

    @Test
    void test_connection_logs_in_for_itself_names_an_unknown_job_and_logs_out() {
        f.targets.create(new TargetInput("cdm", "cdm2", "localhost", f.port(), "cdmadmin", StorageFixture.PASSWORD,
                f.trusted(), 2, 5, null, null, new CdmSettings("Oracle restore", 5, List.of()), null, null));
        var t = f.connector.test("cdm2");
        assertFalse(t.ok());
        assertEquals("no job named 'Oracle restore'", t.error());
        assertEquals(1, cdm.logouts());
        assertTrue(f.connector.test("cdm1").ok());
        assertEquals(2, cdm.logins());
    }

    @Test
    void a_503_when_starting_is_retried_then_the_run_is_followed() {
        cdm.failNext("POST", "/api/endeavour/job/1005", 503, 1);
        Protection p = runJob(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertTrue(calls.stream().anyMatch(c -> c.outcome().equals("HTTP 503, retrying")));
        assertEquals(1, cdm.started("1005"));
    }

    @Test
    void a_resumed_action_adopts_the_run_started_after_it_was_accepted() {
        Instant accepted = Instant.now().minusSeconds(5);
        runJob(null);
        Protection p = runJob(accepted);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("a run started after the action existed when it resumed", p.details().get("adopted"));
        assertEquals(1, cdm.started("1005"), "started once");
    }

    @Test
    void starting_while_a_run_is_active_follows_that_run_and_says_it_is_not_this_actions() {
        cdm.readsToFinish = 1_000_000;
        String active = runJob(null).details().get("runId");
        cdm.readsToFinish = 0;
        Protection p = runJob(null);
        assertEquals(Verdict.UNKNOWN, p.verdict(), "that run is still running; in no case plainly protected");
        assertEquals(active, p.details().get("foreignRun"));
        assertTrue(p.error().startsWith("CDM answered the start 409: run " + active), p.error());
        assertEquals(1, cdm.started("1005"));
    }

    @Test
    void a_cdm_that_does_not_answer_in_time_is_reported_as_a_timeout_before_anything_is_asked() {
        cdm.delay("GET", "/api/endeavour/job", 3000);
        Protection p = runJob(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("timed out", p.error());
        assertEquals(0, cdm.started("1005"));
    }
}
