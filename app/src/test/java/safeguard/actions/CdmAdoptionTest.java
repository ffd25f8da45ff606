package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.cdm.CdmSimulator;
import safeguard.journal.Journal;

/** A CDM run is this action's only when it started it: a 409 is reported as someone else's run, adoption by id. */
class CdmAdoptionTest {
    static final TestCerts cert = TestCerts.localhost();
    static final String JOB = "1005";
    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert);
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

    private void start(Clock clock) {
        cdm.readsToFinish = 0;
        engine = new Engine(tmp, journal, clock, Engine.cdm("cdm1", cdm.port(), Engine.verified(cert), "SQL-CleanRoom-Restore"));
    }


    @Test
    void a_409_on_start_is_someone_elses_run_reported_with_its_id_and_start_never_as_plain_protected() throws Exception {
        Instant hourAgo = Instant.now().minus(Duration.ofHours(1));
        String theirs = cdm.ranElsewhere(JOB, "RUNNING", hourAgo.toEpochMilli());
        start(Clock.systemUTC());
        String firstEvent = Instant.now().minusSeconds(30).toString();
        ActionAnswer a = engine.actions.submit(new ActionRequest("cdm-restore", "cdm1",
                new ActionContext("rule", null, null, null, firstEvent, null), null, null, null, null));
        ActionDetail d = engine.awaitEnd(a.id());
        assertEquals("protected-not-as-planned", d.action().status(), d.toString());
        assertEquals(theirs, d.action().result().get("foreignRun"));
        String why = d.action().error();
        assertTrue(why.startsWith("CDM answered the start 409: run " + theirs + " of job SQL-CleanRoom-Restore was already active"), why);
        assertTrue(why.contains("before this incident's first event (" + firstEvent + ")"), why);
        assertTrue(why.contains("this action started no run of its own"), why);
        assertEquals(1, cdm.started(JOB), "only their run exists");
    }

    @Test
    void a_clean_room_restore_meeting_another_active_run_is_not_restored() throws Exception {
        String theirs = cdm.ranElsewhere(JOB, "RUNNING", Instant.now().toEpochMilli());
        start(Clock.systemUTC());
        String id = engine.actions.startRecovery("cdm-cleanroom", "cdm1", Map.of("job", "SQL-CleanRoom-Restore"), "a-x").id();
        ActionDetail r = engine.awaitEnd(id);
        assertEquals("not-restored", r.action().status(), r.toString());
        assertEquals(theirs, r.action().result().get("foreignRun"));
        assertTrue(r.action().error().contains("this action started no run of its own"), r.action().error());
        assertEquals(1, cdm.started(JOB));
    }

    /** The journal of an app that died after its start was journaled (maybe sent), the runs it saw before: {@code ids}. */
    private String diedAfterStart(MutableClock appClock, List<String> ids) {
        journal = Engine.journal(tmp, appClock);
        String id = "a-20261124T101503Z-0a0b0c0e";
        ObjectNode accepted = Json.mapper().createObjectNode().put("type", "cdm-restore").put("target", "cdm1")
                .put("scope", "SQL-CleanRoom-Restore").put("dryRun", false);
        accepted.putObject("plan").put("job", "SQL-CleanRoom-Restore");
        journal.append(id, "accepted", accepted);
        journal.append(id, "started", Json.mapper().createObjectNode());
        ObjectNode existing = Json.mapper().createObjectNode();
        existing.set("ids", Json.mapper().valueToTree(ids));
        journal.append(id, "existing", existing);
        journal.append(id, "request", Json.mapper().createObjectNode().put("call", "1.3").put("operation", "start job")
                .put("request", "POST /api/endeavour/job/1005").put("creates", "run of job SQL-CleanRoom-Restore"));
        return id;
    }

    @Test
    void with_the_app_clock_ten_minutes_ahead_the_run_it_started_is_adopted_by_its_id_not_started_again() throws Exception {
        MutableClock ahead = new MutableClock(Instant.now().plus(Duration.ofMinutes(10)));
        String id = diedAfterStart(ahead, List.of("900"));
        String ours = cdm.ranElsewhere(JOB, "COMPLETED", System.currentTimeMillis()); // what the lost start made
        start(ahead);
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertEquals(ours, d.action().result().get("runId"));
        assertTrue(d.action().result().get("adopted").startsWith("run " + ours + " is not one of the runs"), d.toString());
        assertEquals(1, cdm.started(JOB), "no second run");
    }

    @Test
    void with_the_app_clock_ten_minutes_behind_a_run_that_existed_before_is_not_adopted() throws Exception {
        MutableClock behind = new MutableClock(Instant.now().minus(Duration.ofMinutes(10)));
        String scheduled = cdm.ranElsewhere(JOB, "COMPLETED", System.currentTimeMillis()); // seen before the start
        String id = diedAfterStart(behind, List.of(scheduled)); // the start never arrived
        start(behind);
        ActionDetail d = engine.awaitEnd(id);
        assertEquals("protected", d.action().status(), d.toString());
        assertFalse(d.action().result().containsKey("adopted"), "someone else's run is not this action's: " + d);
        assertFalse(d.action().result().get("runId").equals(scheduled));
        assertEquals(2, cdm.started(JOB), "its own run, besides the scheduled one");
    }
}
