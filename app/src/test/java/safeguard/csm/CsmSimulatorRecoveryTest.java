package safeguard.csm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import safeguard.SimulatorHttp;
import safeguard.SimulatorHttp.Reply;
import safeguard.TestCerts;

/** The CSM simulator's backup detail and backup-scoped commands (RECOVER-FACTS.md, storage-apis.md §2.2). */
class CsmSimulatorRecoveryTest {
    static final String FORM = "application/x-www-form-urlencoded";
    static final String SESSION = "/CSM/web/sessions/SGC_DB1";
    static final String ID = "1764000000";
    static final String BACKUP = SESSION + "/backups/H1/" + ID;

    CsmSimulator csm;
    SimulatorHttp http;
    boolean noViolations = true;

    @BeforeEach
    void start() {
        csm = new CsmSimulator(TestCerts.localhost());
        csm.start();
        csm.backup("SGC_DB1", ID, 1_764_000_000_000L);
        SimulatorHttp anon = new SimulatorHttp(csm).with("Accept-Language", "en-US");
        String token = anon.send("POST", "/CSM/web/system/v1/tokens", FORM, "username=csmadmin&password=pw").json()
                .path("token").asText();
        http = anon.with("X-Auth-Token", token);
    }

    @AfterEach
    void stop() {
        csm.close();
        if (noViolations) {
            assertEquals(List.of(), csm.violations());
        }
    }

    private Reply command(String path, String cmd) {
        return http.send("POST", path, FORM, "cmd=" + cmd.replace(" ", "%20"));
    }

    @Test
    void a_seeded_backup_shows_in_the_session_and_its_own_detail() {
        JsonNode results = http.get(SESSION).json().at("/backupInfo/0/BackupResults");
        assertTrue(results.findValuesAsText("backupID").contains(ID), results.toString());
        Reply detail = http.get(BACKUP);
        assertEquals(200, detail.status());
        JsonNode b = detail.json();
        assertEquals(ID, b.path("backupID").asText());
        assertTrue(b.path("valid").asBoolean());
        assertEquals(1_764_000_000_000L, b.path("timestamp").asLong());
        assertEquals(1_764_000_000_000L, b.path("backupTime").asLong());
        assertEquals(4, b.path("numCopySets").asInt());
    }

    @Test
    void an_unknown_backup_or_a_role_other_than_h1_is_404_with_an_e_message() {
        Reply unknown = http.get(SESSION + "/backups/H1/1");
        assertEquals(404, unknown.status());
        assertTrue(unknown.json().path("msg").asText().endsWith("E"), unknown.body());
        Reply role = http.get(SESSION + "/backups/R1/" + ID);
        assertEquals(404, role.status());
        assertTrue(role.json().path("msg").asText().endsWith("E"), role.body());
    }

    @Test
    void recover_backup_is_offered_and_recovering_a_backup_is_recorded_and_makes_the_session_recoverable() {
        assertTrue(http.get(SESSION + "/availablecommands").json().toString().contains("\"Recover Backup\""));
        assertFalse(http.get(SESSION).json().path("recoverable").asBoolean());
        Reply r = command(BACKUP, "Recover Backup");
        assertEquals(200, r.status());
        assertEquals("IWNR1026I", r.json().path("msg").asText());
        assertEquals(List.of(ID), csm.recovered("SGC_DB1"));
        assertTrue(http.get(SESSION).json().path("recoverable").asBoolean());
        assertEquals(1, csm.recovers());
    }

    @Test
    void recovering_an_unknown_backup_answers_an_e_message_and_recovers_nothing() {
        Reply r = command(SESSION + "/backups/H1/1700000000", "Recover Backup");
        assertTrue(r.json().path("msg").asText().endsWith("E"), r.body());
        assertEquals(List.of(), csm.recovered("SGC_DB1"));
        assertFalse(http.get(SESSION).json().path("recoverable").asBoolean());
        assertEquals(1, csm.recovers(), "counted though refused");
    }

    @Test
    void a_recover_answered_with_an_e_message_recovers_nothing() {
        csm.recoverMessage = "IWNR1030E";
        assertEquals("IWNR1030E", command(BACKUP, "Recover Backup").json().path("msg").asText());
        assertEquals(List.of(), csm.recovered("SGC_DB1"));
    }

    @Test
    void a_command_not_offered_now_or_not_for_a_backup_answers_an_e_message() {
        Reply session = command(BACKUP, "Backup");
        assertTrue(session.json().path("msg").asText().endsWith("E"), session.body());
        csm.offers("SGC_DB1", "Backup", "Refresh States");
        Reply notNow = command(BACKUP, "Recover Backup");
        assertEquals("IWNR1029E", notNow.json().path("msg").asText());
        assertEquals(List.of(), csm.recovered("SGC_DB1"));
        assertEquals(2, csm.backups("SGC_DB1").size(), "no backup was made either");
    }

    @Test
    void expire_backup_removes_the_designated_backup_and_all_earlier_ones() {
        csm.backup("SGC_DB1", "1764003600", 1_764_003_600_000L);
        Reply r = command(BACKUP, "Expire Backup");
        assertTrue(r.json().path("msg").asText().endsWith("I"), r.body());
        assertEquals(List.of(new CsmSimulator.Backup("1764003600", 1_764_003_600_000L)), csm.backups("SGC_DB1"));
    }

    @Test
    void an_expired_token_is_401_and_recovers_nothing() {
        csm.expireTokens();
        assertEquals(401, command(BACKUP, "Recover Backup").status());
        assertEquals(List.of(), csm.recovered("SGC_DB1"));
    }

    @Test
    void requests_that_break_the_documented_contract_are_recorded_as_violations() {
        noViolations = false;
        List<Reply> breaches = List.of(
                http.send("POST", BACKUP, "application/json", "{\"cmd\":\"Recover Backup\"}"),
                http.send("POST", BACKUP, FORM, "command=Recover%20Backup"),
                command(SESSION, "Recover Backup"),
                new SimulatorHttp(csm).with("X-Auth-Token", "tok-1").send("POST", BACKUP, FORM, "cmd=Recover%20Backup"));
        breaches.forEach(b -> assertEquals(400, b.status(), b.body()));
        assertEquals(breaches.size(), csm.violations().size(), csm.violations().toString());
        assertEquals(List.of(), csm.recovered("SGC_DB1"));
    }
}
