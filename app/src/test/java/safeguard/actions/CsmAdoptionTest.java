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
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.csm.CsmSimulator;
import safeguard.http.RetryPolicy;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.CsmSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** A resumed CSM Backup adopts by backup id: ten minutes of clock skew either way changes nothing. */
class CsmAdoptionTest {
    static final TestCerts cert = TestCerts.localhost();
    static final String SESSION = "SGC_DB1";
    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert);
    @TempDir
    Path tmp;
    Journal journal;
    ActionService actions;

    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    /** The journal of an app (its clock {@code app}) that died after journaling the Backup, having seen {@code ids}. */
    private String diedAfterAsking(MutableClock app, List<String> ids) {
        journal = new Journal(tmp.resolve("store/journal"), 1 << 20, app);
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

    private void restart(MutableClock app) {
        TargetService targets = new TargetService(Store.open(tmp.resolve("store")));
        targets.create(new TargetInput("csm", "csm1", "localhost", csm.port(), "csmadmin", "pw",
                new Tls("verify", cert.pemText(), null), 2, 10, null, new CsmSettings(SESSION, "Backup", null, List.of()),
                null, null, null));
        actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }), d -> { }), null, app, 8);
        actions.load();
        actions.resume();
    }

    private ActionDetail awaitEnd(String id) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            ActionDetail d = actions.detail(id);
            if (ActionState.TERMINAL.contains(d.action().status())) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("did not end: " + actions.detail(id));
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
        ActionDetail d = awaitEnd(id);
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
        ActionDetail d = awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertFalse("1795515888".equals(d.action().result().get("backupId")), "not someone else's backup: " + d);
        assertFalse(d.action().result().containsKey("adopted"), d.toString());
        assertEquals(1, csm.backupCommands(), "its own backup was asked for");
    }
}
