package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.scale.ScaleSimulator;
import safeguard.settings.Settings;

/** Only an action whose copy may exist holds its window; failed attempts are retried within a per-scope budget. */
class WindowHolderTest {
    static final TestCerts cert = TestCerts.localhost();
    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @TempDir
    Path tmp;
    ScaleActions s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private void start() throws Exception {
        scale.pollsToComplete = 0;
        s = new ScaleActions(tmp, scale, cert, ScaleActions.filesets("sales", List.of("sales", "hr"), null), Clock.systemUTC());
    }

    @Test
    void gui_down_for_the_first_firing_and_back_for_the_second_makes_exactly_one_snapshot() throws Exception {
        start();
        assertEquals("protected", s.awaitEnd(s.fire("/gpfs/gpfs01/sales/a.csv").id()).action().status(), "layout read");
        scale.guiDown = true;
        ActionDetail first = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/payroll.csv").id());
        assertEquals("not-protected", first.action().status(), first.toString());
        assertTrue(first.action().error().contains("503"), "its timeline says it failed: " + first.action().error());
        scale.guiDown = false;
        ActionAnswer second = s.fire("/gpfs/gpfs01/hr/payroll.csv");
        assertEquals("accepted", second.status(), "a failed attempt holds no window: " + second);
        ActionDetail d = s.awaitEnd(second.id());
        assertEquals("protected", d.action().status());
        assertEquals(1, scale.snapshots().stream().filter(x -> x.fileset().equals("hr")).count());
        ActionAnswer third = s.fire("/gpfs/gpfs01/hr/payroll.csv");
        assertEquals("coalesced", third.status(), "the copy holds the window");
        assertEquals(second.id(), third.coalescedInto());
    }

    @Test
    void a_dry_run_does_not_swallow_live_firings_once_dry_run_is_switched_off() throws Exception {
        start();
        s.settings.set(new Settings(300, true, List.of(), null, null, 365, 6));
        ActionAnswer dry = s.fire("/gpfs/gpfs01/sales/a.csv");
        assertEquals("dry-run", dry.status());
        assertEquals("coalesced", s.fire("/gpfs/gpfs01/sales/a.csv").status(), "rehearsals coalesce with rehearsals");
        s.settings.set(Settings.DEFAULTS);
        ActionAnswer live = s.fire("/gpfs/gpfs01/sales/a.csv");
        assertEquals("accepted", live.status(), live.toString());
        assertEquals("protected", s.awaitEnd(live.id()).action().status());
        assertEquals(1, scale.created());
        assertEquals(live.id(), s.fire("/gpfs/gpfs01/sales/a.csv").coalescedInto());
    }

    @Test
    void a_storage_that_keeps_failing_gets_at_most_the_hourly_budget_of_attempts_and_the_fold_says_why() throws Exception {
        start();
        s.settings.set(new Settings(300, false, List.of(), null, null, 365, 2));
        scale.jobStderr = "EFSSG0740C There are not enough resources available to create a new snapshot.";
        ActionDetail one = s.awaitEnd(s.fire("/gpfs/gpfs01/sales/a.csv").id());
        ActionDetail two = s.awaitEnd(s.fire("/gpfs/gpfs01/sales/a.csv").id());
        assertEquals("not-protected", one.action().status());
        assertEquals("not-protected", two.action().status());
        ActionAnswer three = s.fire("/gpfs/gpfs01/sales/a.csv");
        assertEquals("coalesced", three.status());
        assertEquals(two.action().id(), three.coalescedInto());
        assertTrue(three.reason().startsWith("the storage failed here: 2 attempts for this scope in the last hour (at most 2;"),
                three.reason());
        ActionDetail folded = s.actions.detail(three.id());
        assertEquals(three.reason(), folded.timeline().get(0).data().get("reason").asText(), "the timeline says why");
        assertEquals(2, scale.creates());
        assertEquals("accepted", s.fire("/gpfs/gpfs01/hr/b.csv").status(), "the budget is per scope");
    }

    @Test
    void a_running_attempt_covers_later_firings_and_says_so() throws Exception {
        scale.pollsToComplete = 0;
        var hold = scale.holdAnswer("POST", ".*/snapshots");
        s = new ScaleActions(tmp, scale, cert, ScaleActions.filesets("sales", List.of("sales"), null), Clock.systemUTC());
        ActionAnswer first = s.fire("/gpfs/gpfs01/sales/a.csv");
        hold.awaitArrival();
        ActionAnswer second = s.fire("/gpfs/gpfs01/sales/a.csv");
        assertEquals(first.id(), second.coalescedInto());
        assertTrue(second.reason().startsWith("action " + first.id() + " is running for this scope"), second.reason());
        hold.release();
        assertEquals("protected", s.awaitEnd(first.id()).action().status());
    }
}
