package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.csm.CsmSimulator;
import safeguard.journal.Journal;

/** A resumed CSM Backup adopts by backup id: ten minutes of clock skew either way changes nothing. */
class CsmAdoptionTest {
    static final TestCerts cert = TestCerts.localhost();
    static final String SESSION = "SGC_DB1";
    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert);
    @TempDir
    Path tmp;
    /** What the dead app left, when a test wrote it (the engine then leaves it open at close). */
    Journal journal;
    Engine engine;

    @AfterEach
    void stop() {
        if (engine != null) {
            engine.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /** The journal of an app (its clock {@code app}) that died after journaling the Backup, having seen {@code ids}. */
    private String diedAfterAsking(MutableClock app, List<String> ids) {
        journal = Engine.journal(tmp, app);
        String id = "a-20261124T101503Z-0a0b0c1f";
        ObjectNode accepted = Json.mapper().createObjectNode().put("type", "csm-backup").put("target", "csm1")
                .put("scope", SESSION).put("dryRun", false);
        accepted.putObject("plan").put("session", SESSION).put("command", "Backup");
        journal.append(id, "accepted", accepted);
        journal.append(id, "started", Json.mapper().createObjectNode());
        ObjectNode existing = Json.mapper().createObjectNode();
        existing.set("ids", Json.mapper().valueToTree(ids));
        journal.append(id, "existing", existing);
        journal.append(id, "request", Json.mapper().createObjectNode().put("call", "1.3").put("operation", "run Backup")
                .put("request", "POST /CSM/web/sessions/" + SESSION).put("creates", "backup in " + SESSION));
        return id;
    }

    /** As {@link #diedAfterAsking}, with the ids in the creating request's record, as this version journals them. */
    private String diedAfterAskingWithIdsInTheRequest(MutableClock app, List<String> ids) {
        journal = Engine.journal(tmp, app);
        String id = "a-20261124T101503Z-0a0b0c2f";
        ObjectNode accepted = Json.mapper().createObjectNode().put("type", "csm-backup").put("target", "csm1")
                .put("scope", SESSION).put("dryRun", false);
        accepted.putObject("plan").put("session", SESSION).put("command", "Backup");
        journal.append(id, "accepted", accepted);
        journal.append(id, "started", Json.mapper().createObjectNode());
        ObjectNode request = Json.mapper().createObjectNode().put("call", "1.3").put("operation", "run Backup")
                .put("request", "POST /CSM/web/sessions/" + SESSION).put("creates", "backup in " + SESSION);
        request.set("existing", Json.mapper().valueToTree(ids));
        journal.append(id, "request", request);
        return id;
    }

    private void restart(MutableClock app) {
        engine = new Engine(tmp, journal, app, Engine.csm("csm1", csm.port(), Engine.verified(cert), SESSION));
    }


    private List<String> ids() {
        List<String> out = new ArrayList<>();
        csm.backups(SESSION).forEach(b -> out.add(b.id()));
        return out;
    }

    @Test
    void with_the_app_ten_minutes_ahead_the_backup_its_lost_request_made_is_adopted_not_taken_again() throws Exception {
        MutableClock ahead = new MutableClock(Instant.now().plus(Duration.ofMinutes(10)));
        String id = diedAfterAsking(ahead, ids());
        csm.backup(SESSION, "1795515999", System.currentTimeMillis()); // what the Backup made, in CSM's clock
        restart(ahead);
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertEquals("1795515999", d.action().result().get("backupId"));
        assertTrue(d.action().result().get("adopted").startsWith("backup 1795515999 is not one of the backups"), d.toString());
        assertEquals(0, csm.backupCommands(), "no second backup");
    }

    @Test
    void with_the_app_ten_minutes_behind_a_scheduled_backup_taken_before_the_request_is_not_adopted() throws Exception {
        MutableClock behind = new MutableClock(Instant.now().minus(Duration.ofMinutes(10)));
        csm.backup(SESSION, "1795515888", System.currentTimeMillis()); // a schedule's, seen before the Backup was sent
        String id = diedAfterAsking(behind, ids()); // the Backup never arrived
        restart(behind);
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertFalse("1795515888".equals(d.action().result().get("backupId")), "not someone else's backup: " + d);
        assertFalse(d.action().result().containsKey("adopted"), d.toString());
        assertEquals(1, csm.backupCommands(), "its own backup was asked for");
    }
    @Test
    void the_ids_seen_before_the_backup_travel_in_the_backups_request_record_and_a_resume_adopts_by_them() throws Exception {
        MutableClock now = new MutableClock(Instant.now());
        restart(now);
        String first = engine.actions.submit(new ActionRequest("csm-backup", "csm1", null, null, null, null, null)).id();
        assertEquals("protected", engine.awaitEnd(first).action().status());
        List<String> events = new ArrayList<>();
        List<com.fasterxml.jackson.databind.JsonNode> creating = new ArrayList<>();
        engine.journal.replay(w -> {
            if (w.record().action().equals(first)) {
                events.add(w.record().event());
                if (w.record().event().equals("request") && w.record().data().has("creates")) {
                    creating.add(w.record().data());
                }
            }
        });
        assertFalse(events.contains("existing"), "no record of its own (one disk flush less before the Backup): " + events);
        assertEquals(1, creating.size(), events.toString());
        assertEquals("[\"1714558500\"]", creating.get(0).path("existing").toString(), "the backup that existed before");
        engine.close();
        engine = null;

        // A dead app's run in that form: the backup its lost answer made is adopted, with the app's clock 10 min ahead.
        MutableClock ahead = new MutableClock(Instant.now().plus(Duration.ofMinutes(10)));
        int before = (int) csm.backupCommands();
        String id = diedAfterAskingWithIdsInTheRequest(ahead, ids());
        csm.backup(SESSION, "1795515999", System.currentTimeMillis());
        restart(ahead);
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertEquals("1795515999", d.action().result().get("backupId"));
        assertTrue(d.action().result().get("adopted").startsWith("backup 1795515999 is not one of the backups"), d.toString());
        assertEquals(before, csm.backupCommands(), "no second backup");
    }
}
