package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.csm.CsmSimulator;
import safeguard.journal.Journal;

/** What a restart does with an action that had begun: it looks first only if its creating request was journaled. */
class ResumeTest {
    static final TestCerts cert = TestCerts.localhost();
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

    /** The journal an app left when it died after "started" and, if {@code asked}, after journaling the Backup. */
    private String diedAfterStarting(boolean asked) {
        journal = Engine.journal(tmp, Clock.systemUTC());
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
        engine = new Engine(tmp, journal, Clock.systemUTC(), Engine.csm("csm1", csm.port(), Engine.verified(cert), "SGC_DB1"));
    }


    @Test
    void an_action_that_died_before_its_backup_was_journaled_asks_at_once_without_waiting_for_one() throws Exception {
        String id = diedAfterStarting(false);
        restart();
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertFalse(d.action().result().containsKey("note"), "no wait for a backup nobody asked for: " + d.action());
        assertEquals(1, csm.backupCommands());
    }

    @Test
    void an_action_that_died_after_journaling_its_backup_looks_for_it_before_asking_again() throws Exception {
        String id = diedAfterStarting(true);
        restart();
        ActionDetail d = engine.awaitEnd(id);
        assertTrue(d.action().result().getOrDefault("note", "").startsWith("no backup newer than the action appeared"),
                "it looked first: " + d.action());
        assertEquals(1, csm.backupCommands());
    }
}
