package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.scale.ScaleSimulator;

/**
 * The event's path decides what is snapshotted (storage-apis.md §1a): the longest junction wins, a dependent
 * fileset is protected by its inode space's owner, a path outside every allowed fileset or on another file
 * system is refused (or, when the target allows it, protected by a file-system snapshot).
 */
class PathScopeTest {
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

    private void start(List<String> allowed, Boolean globalOutside, Clock clock) throws Exception {
        scale.pollsToComplete = 0;
        s = new ScaleActions(tmp, scale, cert, ScaleActions.filesets("sales", allowed, globalOutside), clock);
    }

    @Test
    void a_firing_in_hr_snapshots_hr_and_one_in_sales_snapshots_sales_each_plan_saying_why() throws Exception {
        scale.file("/gpfs/gpfs01/hr/payroll/salaries-2022.csv", "salaries");
        scale.file("/gpfs/gpfs01/sales/q4.csv", "q4");
        start(List.of("sales", "hr"), null, Clock.systemUTC());
        ActionAnswer hr = s.fire("/gpfs/gpfs01/hr/payroll/salaries-2022.csv");
        ActionAnswer sales = s.fire("/gpfs/gpfs01/sales/q4.csv");
        assertEquals("accepted", hr.status());
        assertEquals("accepted", sales.status(), "another scope: not coalesced into the hr action");
        ActionDetail h = s.awaitEnd(hr.id());
        ActionDetail sa = s.awaitEnd(sales.id());
        assertEquals("protected", h.action().status(), h.toString());
        assertEquals("protected", sa.action().status(), sa.toString());
        assertEquals("hr", h.action().scope());
        assertEquals("hr", h.action().result().get("fileset"));
        assertEquals("sales", sa.action().result().get("fileset"));
        assertEquals(2, scale.created());
        String hrSnap = h.action().result().get("snapshot");
        assertEquals(List.of("/gpfs/gpfs01/hr/payroll/salaries-2022.csv"), List.copyOf(scale.snapshotFiles(hrSnap).keySet()),
                "the attacked file is in the copy");
        String placement = h.timeline().get(0).data().at("/plan/placement").asText();
        assertTrue(placement.startsWith("/gpfs/gpfs01/hr/payroll/salaries-2022.csv → hr: "), placement);
        assertTrue(placement.contains("/gpfs/gpfs01/hr (fileset hr)"), placement);
        assertEquals(1, scale.filesetLists(), "the layout was read once and kept");
    }

    @Test
    void a_dependent_fileset_is_protected_by_the_independent_fileset_owning_its_inode_space() throws Exception {
        scale.fileset("payroll", "/gpfs/gpfs01/hr/payroll", "hr");
        scale.file("/gpfs/gpfs01/hr/payroll/salaries-2022.csv", "salaries");
        start(List.of("sales", "hr"), null, Clock.systemUTC());
        ActionDetail d = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/payroll/salaries-2022.csv").id());
        assertEquals("protected", d.action().status(), d.toString());
        assertEquals("hr", d.action().result().get("fileset"));
        String placement = d.timeline().get(0).data().at("/plan/placement").asText();
        assertTrue(placement.contains("via dependent fileset payroll"), placement);
        assertTrue(scale.snapshotFiles(d.action().result().get("snapshot")).containsKey("/gpfs/gpfs01/hr/payroll/salaries-2022.csv"));
    }

    @Test
    void with_nested_junctions_the_longest_wins_and_each_snapshot_holds_its_own_inode_space() throws Exception {
        scale.fileset("hrarchive", "/gpfs/gpfs01/hr/archive", null);
        scale.file("/gpfs/gpfs01/hr/archive/2019.csv", "old");
        scale.file("/gpfs/gpfs01/hr/now.csv", "new");
        start(List.of("sales", "hr", "hrarchive"), null, Clock.systemUTC());
        ActionDetail archive = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/archive/2019.csv").id());
        ActionDetail hr = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/now.csv").id());
        assertEquals("hrarchive", archive.action().result().get("fileset"), archive.toString());
        assertEquals("hr", hr.action().result().get("fileset"), hr.toString());
        assertEquals(List.of("/gpfs/gpfs01/hr/archive/2019.csv"),
                List.copyOf(scale.snapshotFiles(archive.action().result().get("snapshot")).keySet()));
        assertEquals(List.of("/gpfs/gpfs01/hr/now.csv"),
                List.copyOf(scale.snapshotFiles(hr.action().result().get("snapshot")).keySet()));
    }

    @Test
    void a_path_outside_every_allowed_fileset_is_refused_naming_the_path_and_the_filesets_it_could_have_been() throws Exception {
        start(List.of("sales", "hr"), null, Clock.systemUTC());
        ActionAnswer a = s.fire("/gpfs/gpfs01/ops/runbook.txt");
        assertEquals("refused", a.status());
        assertTrue(a.reason().contains("path /gpfs/gpfs01/ops/runbook.txt"), a.reason());
        assertTrue(a.reason().contains("it could be protected by fileset ops, or a file-system snapshot of gpfs01"), a.reason());
        assertTrue(a.reason().contains("target filesets: sales, hr"), a.reason());
        ActionAnswer root = s.fire("/gpfs/gpfs01/loose.txt");
        assertEquals("refused", root.status());
        assertTrue(root.reason().contains("fileset root, or a file-system snapshot of gpfs01"), root.reason());
        assertEquals(0, scale.creates(), "nothing was asked of Scale");
        assertEquals("refused", s.actions.detail(a.id()).action().status(), "journaled, visible in the tab");
    }

    @Test
    void a_path_outside_every_allowed_fileset_gets_a_file_system_snapshot_when_the_target_allows_it() throws Exception {
        scale.file("/gpfs/gpfs01/ops/runbook.txt", "steps");
        start(List.of("sales", "hr"), true, Clock.systemUTC());
        ActionDetail d = s.awaitEnd(s.fire("/gpfs/gpfs01/ops/runbook.txt").id());
        assertEquals("protected", d.action().status(), d.toString());
        assertEquals("global", d.action().scope());
        assertNull(d.action().result().get("fileset"));
        assertEquals("", scale.snapshot(d.action().result().get("snapshot")).fileset(), "a global snapshot");
        assertTrue(d.timeline().get(0).data().at("/plan/placement").asText().contains("file-system snapshot of gpfs01"));
        assertTrue(scale.snapshotFiles(d.action().result().get("snapshot")).containsKey("/gpfs/gpfs01/ops/runbook.txt"));
    }

    @Test
    void a_path_on_another_file_system_is_refused_even_when_global_snapshots_are_allowed() throws Exception {
        start(List.of("sales", "hr"), true, Clock.systemUTC());
        ActionAnswer a = s.fire("/gpfs/gpfs02/sales/q4.csv");
        assertEquals("refused", a.status());
        assertTrue(a.reason().contains("is not on file system gpfs01 (mounted at /gpfs/gpfs01)"), a.reason());
        assertEquals(0, scale.creates());
    }

    @Test
    void a_fileset_linked_after_the_layout_was_read_is_found_on_the_miss_and_the_read_is_not_repeated_in_a_burst() throws Exception {
        MutableClock clock = new MutableClock(Instant.now());
        start(List.of("sales", "hr", "legal"), null, clock);
        assertEquals("accepted", s.fire("/gpfs/gpfs01/sales/a.csv").status());
        scale.fileset("legal", "/gpfs/gpfs01/legal", null);
        ActionAnswer early = s.fire("/gpfs/gpfs01/legal/contract.pdf");
        assertEquals("refused", early.status(), "read moments ago: not read again for every miss");
        assertEquals(1, scale.filesetLists());
        clock.advance(Duration.ofSeconds(11));
        ActionAnswer later = s.fire("/gpfs/gpfs01/legal/contract.pdf");
        assertEquals("accepted", later.status(), later.toString());
        assertEquals(2, scale.filesetLists());
        assertEquals("protected", s.awaitEnd(later.id()).action().status());
    }

    @Test
    void scale_unreadable_before_any_layout_was_read_is_not_protected_saying_why_and_the_next_firing_is_placed() throws Exception {
        start(List.of("sales", "hr"), null, Clock.systemUTC());
        scale.guiDown = true;
        ActionDetail first = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/x.csv").id());
        assertEquals("not-protected", first.action().status(), "taken, and not protected: the storage was down");
        assertTrue(first.action().error().startsWith("could not read the filesets of gpfs01 from Scale to place path /gpfs/gpfs01/hr/x.csv"),
                first.action().error());
        scale.guiDown = false;
        ActionDetail second = s.awaitEnd(s.fire("/gpfs/gpfs01/hr/x.csv").id());
        assertEquals("protected", second.action().status());
        assertEquals(1, scale.created());
        assertFalse(scale.requests().stream().anyMatch(r -> r.startsWith("POST") && r.contains("/filesets/sales/")));
    }
}
