package safeguard.csm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import safeguard.targets.Connector;
import safeguard.targets.CsmSettings;
import safeguard.targets.StorageFixture;

/** Copy Services Manager REST API, against the stateful simulator of storage-apis.md §2. */
class CsmClientTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert);
    @TempDir
    Path tmp;
    StorageFixture f;
    List<CallRecord> calls = List.of();

    @BeforeEach
    void start() {
        csm.credentials("csmadmin", StorageFixture.PASSWORD);
        f = new StorageFixture(tmp, cert, csm);
        f.targets.create(f.csm("csm1", new CsmSettings("SGC_DB1", "Backup", null, List.of())));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Protection backup(Instant since) {
        try (Connector.Session s = f.connector.open("csm1")) {
            Protection p = f.connector.csm(s).runSessionCommand("SGC_DB1", "Backup", since);
            calls = s.upstream().calls();
            return p;
        }
    }

    private Protection task(String name, Instant since) {
        try (Connector.Session s = f.connector.open("csm1")) {
            Protection p = f.connector.csm(s).runScheduledTask(name, since);
            calls = s.upstream().calls();
            return p;
        }
    }

    @Test
    void a_backup_is_run_and_confirmed_by_the_new_backup_in_the_session() {
        csm.backupShowsAfterReads = 2;
        Protection p = backup(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        String id = csm.backups("SGC_DB1").get(1).id();
        assertEquals(id, p.details().get("backupId"));
        assertEquals("IWNR1026I", p.details().get("message"));
        assertEquals(1, csm.backupCommands());
        assertEquals(2, f.pollPauses.size(), "checked at once, then after a pause each time the backup was not there yet");
    }

    @Test
    void each_backup_gets_a_new_id_and_the_token_is_kept_for_the_next_action() {
        Protection first = backup(null);
        Protection second = backup(null);
        assertNotEquals(first.details().get("backupId"), second.details().get("backupId"));
        assertEquals(3, csm.backups("SGC_DB1").size(), "the one before and two new ones");
        assertEquals(1, csm.logins(), "one login for both actions on the same target");
    }

    @Test
    void a_changed_target_starts_a_new_session() {
        backup(null);
        f.targets.update("csm1", StorageFixture.confirming(f.csm("csm1", new CsmSettings("SGC_DB1", "Backup", null, List.of())), 30));
        backup(null);
        assertEquals(2, csm.logins());
    }

    @Test
    void an_expired_token_gets_one_re_login_and_the_backup_is_made_once() {
        backup(null);
        csm.expireTokens();
        Protection p = backup(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals(2, csm.logins());
        assertTrue(calls.stream().anyMatch(c -> c.operation().endsWith("(after re-login)")));
        assertEquals(3, csm.backups("SGC_DB1").size());
    }

    @Test
    void a_message_ending_in_e_is_not_protected_with_csms_text() {
        csm.backupMessage = "IWNR1028E";
        Protection p = backup(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertTrue(p.error().startsWith("CSM answered IWNR1028E: IWNR1028E"), p.error());
    }

    @Test
    void a_warning_still_protects_and_is_kept() {
        csm.backupMessage = "IWNR1029W";
        Protection p = backup(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertTrue(p.details().get("warning").contains("IWNR1029W"));
    }

    @Test
    void a_command_the_session_does_not_offer_now_is_not_sent() {
        csm.offers("SGC_DB1", "Recover", "Refresh States");
        Protection p = backup(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("command 'Backup' is not available for session 'SGC_DB1' now (available: Recover, Refresh States)", p.error());
        assertEquals(0, csm.backupCommands());
    }

    @Test
    void a_backup_that_never_appears_is_unknown_once_the_bound_is_spent_not_minutes_later() {
        csm.backupsAppear = false;
        Protection p = backup(null);
        assertEquals(Verdict.UNKNOWN, p.verdict());
        assertTrue(p.error().startsWith("CSM accepted the Backup but no new backup appeared in session 'SGC_DB1' within 60 s"), p.error());
        assertEquals(Duration.ofSeconds(60), f.pollPauses.stream().reduce(Duration.ZERO, Duration::plus));
    }

    @Test
    void a_resumed_backup_adopts_the_backup_taken_after_the_action_was_accepted() {
        Instant accepted = Instant.now().minusSeconds(5);
        backup(null);
        Protection p = backup(accepted);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("a backup newer than the action existed when it resumed", p.details().get("adopted"));
        assertEquals(1, csm.backupCommands(), "not asked again");
    }

    @Test
    void a_resumed_backup_with_nothing_newer_asks_for_one() {
        Protection p = backup(Instant.now());
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals(1, csm.backupCommands());
    }

    @Test
    void a_lost_answer_to_backup_is_not_repeated_but_confirmed() {
        csm.delay("POST", "/CSM/web/sessions/SGC_DB1", 3000);
        Protection p = backup(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertTrue(p.details().get("note").startsWith("the answer to Backup was lost (timed out)"), p.toString());
        assertEquals(1, csm.backupCommands(), "a second Backup would be a second backup");
        assertEquals(2, csm.backups("SGC_DB1").size());
    }

    @Test
    void a_scheduled_task_is_run_by_name_and_its_finished_run_confirms_protection() {
        csm.taskReadsRunning = 2;
        Protection p = task("SGC Backup DB1", null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("7", p.details().get("taskId"));
        assertEquals("IWNR2211I", p.details().get("message"));
        assertEquals(1, csm.taskRuns(7));
    }

    @Test
    void a_task_run_with_an_error_message_is_not_protected() {
        csm.taskRunMessage = "IWNR2212E";
        Protection p = task("SGC Backup DB1", null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertTrue(p.error().startsWith("the task ran with errors: IWNR2212E"), p.error());
    }

    @Test
    void a_resumed_task_adopts_the_run_started_after_the_action() {
        Instant accepted = Instant.now().minusSeconds(5);
        task("SGC Backup DB1", null);
        Protection p = task("SGC Backup DB1", accepted);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals(1, csm.taskRuns(7), "run once");
    }

    @Test
    void an_unknown_session_is_named_by_test_connection() {
        f.targets.create(f.csm("csm2", new CsmSettings("SGC_DB9", "Backup", null, List.of())));
        var t = f.connector.test("csm2");
        assertFalse(t.ok());
        assertEquals("session 'SGC_DB9' not found (HTTP 404): IWNR1050E The session SGC_DB9 does not exist.", t.error());
    }

    @Test
    void a_refused_login_says_the_credentials_were_refused_without_the_password() {
        csm.credentials("csmadmin", "another password");
        var t = f.connector.test("csm1");
        assertFalse(t.ok());
        assertEquals("CSM refused the credentials of user 'csmadmin' (HTTP 401): IWNR1507E The user name or password is not valid.",
                t.error());
        assertFalse(t.toString().contains(StorageFixture.PASSWORD));
        Protection p = backup(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
    }

    @Test
    void a_503_is_retried_then_the_backup_is_made_once() {
        csm.failNext("POST", "/CSM/web/sessions/SGC_DB1", 503, 1);
        Protection p = backup(null);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertTrue(calls.stream().anyMatch(c -> c.outcome().equals("HTTP 503, retrying")));
        assertEquals(2, csm.backups("SGC_DB1").size());
    }

    @Test
    void a_500_to_backup_is_not_repeated_blindly_and_without_a_new_backup_is_unknown() {
        csm.failNext("POST", "/CSM/web/sessions/SGC_DB1", 500, 1);
        Protection p = backup(null);
        assertEquals(Verdict.UNKNOWN, p.verdict(), p.toString());
        assertTrue(p.details().get("note").startsWith("CSM answered Backup with HTTP 500"), p.toString());
        assertEquals(1, csm.backupCommands());
    }

    @Test
    void a_csm_that_does_not_answer_in_time_is_reported_as_a_timeout_before_anything_is_asked() {
        csm.delay("GET", "/CSM/web/sessions/SGC_DB1/availablecommands", 3000);
        Protection p = backup(null);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("timed out", p.error());
        assertEquals(0, csm.backupCommands());
    }
}
