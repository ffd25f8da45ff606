package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
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

/** What a restart does with an action that had begun: it looks first only if its creating request was journaled. */
class ResumeTest {
    static final TestCerts cert = TestCerts.localhost();
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

    /** The journal an app left when it died after "started" and, if {@code asked}, after journaling the Backup. */
    private String diedAfterStarting(boolean asked) {
        journal = new Journal(tmp.resolve("store/journal"), 1 << 20, Clock.systemUTC());
        String id = "a-20261124T101503Z-0a0b0c0d";
        ObjectNode accepted = Json.mapper().createObjectNode().put("type", "csm-backup").put("target", "csm1")
                .put("scope", "SGC_DB1").put("dryRun", false);
        accepted.putObject("plan").put("session", "SGC_DB1").put("command", "Backup");
        journal.append(id, "accepted", accepted);
        journal.append(id, "started", Json.mapper().createObjectNode());
        if (asked) {
            journal.append(id, "request", Json.mapper().createObjectNode().put("call", "1.3").put("operation", "run Backup")
                    .put("request", "POST /CSM/web/sessions/SGC_DB1").put("creates", "backup in SGC_DB1"));
        }
        return id;
    }

    private void restart() {
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("csm", "csm1", "localhost", csm.port(), "csmadmin", "pw",
                new Tls("verify", cert.pemText(), null), 2, 10, null, new CsmSettings("SGC_DB1", "Backup", null, List.of()),
                null, null, null));
        RetryPolicy noWait = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
        actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait,
                d -> { }), null, Clock.systemUTC(), 8);
        actions.load();
        actions.resume();
    }

    private ActionDetail awaitEnd(String id) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            ActionDetail d = actions.detail(id);
            if (ActionState.TERMINAL.contains(d.action().status())) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("did not end: " + actions.detail(id));
    }

    @Test
    void an_action_that_died_before_its_backup_was_journaled_asks_at_once_without_waiting_for_one() throws Exception {
        String id = diedAfterStarting(false);
        restart();
        ActionDetail d = awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertFalse(d.action().result().containsKey("note"), "no wait for a backup nobody asked for: " + d.action());
        assertEquals(1, csm.backupCommands());
    }

    @Test
    void an_action_that_died_after_journaling_its_backup_looks_for_it_before_asking_again() throws Exception {
        String id = diedAfterStarting(true);
        restart();
        ActionDetail d = awaitEnd(id);
        assertTrue(d.action().result().getOrDefault("note", "").startsWith("no backup newer than the action appeared"),
                "it looked first: " + d.action());
        assertEquals(1, csm.backupCommands());
    }
}
