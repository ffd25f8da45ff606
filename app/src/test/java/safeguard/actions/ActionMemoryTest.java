package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.InvalidInputException;
import safeguard.MutableClock;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** What the engine keeps in memory is bounded by its limits, and start-up reads a checkpoint, not the history. */
class ActionMemoryTest {
    static final ActionLimits SMALL = new ActionLimits(50, 100, Duration.ofHours(24), 1_000_000);

    @TempDir
    Path tmp;
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
    Journal journal;
    ActionService actions;
    TargetService targets;

    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private ActionService.Loaded open(ActionLimits limits) {
        Store store = Store.open(tmp.resolve("store"));
        targets = new TargetService(store);
        if (targets.all().isEmpty()) {
            // A dry-run target: the engine's bookkeeping is under test here, not a storage system.
            targets.create(new TargetInput("scale", "scale1", "scale.example", 443, "snapadmin", "pw",
                    new Tls("verify", null, null), 2, 10,
                    new ScaleSettings("gpfs01", "sales", List.of("sales", "hr"), "sgc", 24, 600, "UTC"),
                    null, null, true));
        }
        RetryPolicy noWait = new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { });
        journal = new Journal(store.dir().resolve("journal"), 256 * 1024, clock);
        actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait,
                d -> { }), null, clock, 4, () -> safeguard.settings.Settings.DEFAULTS, limits);
        return actions.load();
    }

    /** A crash: the journal is closed, the engine is dropped without its shutdown (no checkpoint at close). */
    private void crash() {
        journal.close();
        actions = null;
        journal = null;
    }

    private void restart() {
        actions.close();
        journal.close();
        actions = null;
        journal = null;
    }

    private List<ActionAnswer> submit(int n, String keyPrefix) {
        List<ActionAnswer> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            clock.advance(Duration.ofSeconds(601)); // past the target's interval: each one is a new action
            out.add(actions.submit(new ActionRequest("scale-snapshot", "scale1",
                    new ActionContext("rule", "2001", "/ibm/gpfs01/sales/f" + i + ".csv", "f" + i + ".csv", null, null),
                    keyPrefix == null ? null : keyPrefix + i, null, null, null)));
        }
        return out;
    }

    private List<String> allIds() {
        List<String> ids = new ArrayList<>();
        String before = null;
        do {
            ActionPage p = actions.list(null, null, null, before, 97);
            p.items().forEach(s -> ids.add(s.id()));
            before = p.next();
        } while (before != null);
        return ids;
    }

    @Test
    void memory_holds_a_recent_window_however_long_the_history() {
        open(SMALL);
        List<ActionAnswer> answers = submit(2_000, "k-");
        ActionService.Footprint f = actions.footprint();
        assertTrue(f.actions() <= 50, f.toString());
        assertTrue(f.idempotencyKeys() <= 100, f.toString());
        assertTrue(f.windows() <= 2, f.toString());

        ActionDetail oldest = actions.detail(answers.get(0).id());
        assertEquals("dry-run", oldest.action().status(), "read back from the journal");
        assertEquals("f0.csv", oldest.action().context().filename());
        assertEquals(List.of("accepted", "dry-run"), oldest.timeline().stream().map(ActionDetail.Step::event).toList());

        List<String> ids = allIds();
        assertEquals(2_000, ids.size(), "every action is listed once, memory then disk");
        assertEquals(2_000, new HashSet<>(ids).size());
        List<String> expected = new ArrayList<>(answers.stream().map(ActionAnswer::id).toList());
        java.util.Collections.reverse(expected);
        assertEquals(expected, ids, "newest first");
    }

    private List<String> pagesOf(int limit, String before, int maxPages) {
        List<String> ids = new ArrayList<>();
        int pages = 0;
        do {
            ActionPage p = actions.list(null, null, null, before, limit);
            p.items().forEach(s -> ids.add(s.id()));
            before = p.next();
        } while (before != null && ++pages < maxPages);
        return ids;
    }

    @Test
    void paging_by_fifty_walks_all_five_thousand_actions_across_the_in_memory_boundary() {
        open(new ActionLimits(1_000, 100, Duration.ofHours(24), 1_000_000));
        List<ActionAnswer> answers = submit(5_000, null);
        List<String> expected = new ArrayList<>(answers.stream().map(ActionAnswer::id).toList());
        java.util.Collections.reverse(expected);

        List<String> ids = pagesOf(50, null, Integer.MAX_VALUE);
        assertEquals(expected, ids, "all 5,000, newest first, each once: the 20th page's next leads to the disk");
    }

    @Test
    void a_cursor_whose_row_left_memory_since_goes_on_from_that_row() {
        open(new ActionLimits(1_000, 100, Duration.ofHours(24), 1_000_000));
        List<ActionAnswer> answers = submit(1_500, null);
        List<String> firstPages = pagesOf(50, null, 2);
        assertEquals(100, firstPages.size());
        String cursor = actions.list(null, null, null, firstPages.get(49), 50).items().get(0).id();
        assertEquals(firstPages.get(50), cursor);
        submit(1_200, null); // the rows of those pages leave memory

        List<String> rest = pagesOf(50, firstPages.get(99), Integer.MAX_VALUE);
        List<String> expected = new ArrayList<>(answers.stream().map(ActionAnswer::id).toList());
        java.util.Collections.reverse(expected);
        assertEquals(expected.subList(100, 1_500), rest, "no row twice, none skipped, no restart at the newest");
        InvalidInputException bad = assertThrows(InvalidInputException.class,
                () -> actions.list(null, null, null, "a-20990101T000000Z-00000000", 50));
        assertEquals("before", bad.field());
    }

    @Test
    void the_per_target_state_survives_a_clean_stop_a_crash_and_a_lost_checkpoint_unchanged() throws Exception {
        open(SMALL);
        submit(200, null); // 601 s apart: 33 hours, most of them out of memory
        java.util.Map<String, TargetLedger.Entry> live = actions.targetLedger();
        TargetLedger.Entry e = live.get("scale1");
        assertEquals(TargetLedger.HOURS, e.hours().size(), "only the last 25 hours are counted: " + e.hours());
        int counted = answersOfLastHours(e);
        assertTrue(counted > 24 * 5 && counted <= 25 * 6, "one acceptance every 601 s: " + e.hours());
        assertEquals("dry-run", e.newest().status());
        assertEquals(null, e.newest().context(), "kept without the context");
        assertEquals(null, e.decisive(), "a dry run says nothing about protection");

        restart();
        assertTrue(open(SMALL).fromCheckpoint());
        assertEquals(live, actions.targetLedger(), "read from the checkpoint");
        crash();
        open(SMALL);
        assertEquals(live, actions.targetLedger(), "after a crash: checkpoint plus replay");
        submit(1, null);
        java.util.Map<String, TargetLedger.Entry> more = actions.targetLedger();
        crash();
        open(SMALL);
        assertEquals(more, actions.targetLedger(), "a record replayed after the checkpoint is counted once");
        restart();
        Files.delete(tmp.resolve("store/" + Checkpoint.FILE));
        assertFalse(open(SMALL).fromCheckpoint());
        assertEquals(more, actions.targetLedger(), "rebuilt from the whole journal");
    }

    @Test
    void a_checkpoint_from_before_the_ledger_is_still_read_and_the_ledger_starts_from_its_actions() throws Exception {
        open(SMALL);
        submit(30, null);
        java.util.Map<String, TargetLedger.Entry> live = actions.targetLedger();
        restart();
        Path cp = tmp.resolve("store/" + Checkpoint.FILE);
        // Rewrite it as the previous release did: format 1, no ledger (sealed with the journal's key, as it writes).
        try (Journal j = new Journal(tmp.resolve("store/journal"), 256 * 1024, clock)) {
            var old = (com.fasterxml.jackson.databind.node.ObjectNode) safeguard.Json.mapper().readTree(j.readSidecar(Checkpoint.FILE));
            old.put("format", 1).remove("targets");
            j.writeSidecar(Checkpoint.FILE, safeguard.Json.mapper().writeValueAsBytes(old));
        }
        ActionService.Loaded loaded = open(SMALL);
        assertTrue(loaded.fromCheckpoint(), "an upgrade does not replay the whole journal");
        assertEquals(live.get("scale1").newest(), actions.targetLedger().get("scale1").newest());
        assertEquals(live.get("scale1").hours(), actions.targetLedger().get("scale1").hours(),
                "all 30 were in memory, so counted from the checkpoint's actions");
        assertTrue(Files.exists(cp));
    }

    private static int answersOfLastHours(TargetLedger.Entry e) {
        return e.hours().values().stream().mapToInt(c -> c.values().stream().mapToInt(Integer::intValue).sum()).sum();
    }

    @Test
    void a_burst_far_longer_than_memory_is_answered_from_memory_from_its_first_request_to_its_last() {
        ActionLimits limits = new ActionLimits(50, 2_000, Duration.ofHours(24), 1_000_000);
        open(limits);
        ActionAnswer holder = actions.submit(new ActionRequest("scale-snapshot", "scale1", null, null, "sales", null, null));
        List<ActionAnswer> burst = new ArrayList<>();
        for (int i = 0; i < 20 * limits.recentActions(); i++) {
            ActionAnswer a = actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "burst-" + i, "sales", null, null));
            assertEquals(holder.id(), a.coalescedInto(), "coalesced into the window's action");
            burst.add(a);
        }
        assertTrue(actions.footprint().actions() <= limits.recentActions() + 1, "the covering action left the recent window");
        long searches = actions.journalSearches();
        for (ActionAnswer a : List.of(burst.get(0), burst.get(burst.size() / 2), burst.get(burst.size() - 1))) {
            ActionStanding s = actions.standing(a.id());
            assertEquals(holder.id(), s.id());
            assertEquals(a.id(), s.request());
            assertEquals("dry-run", s.status());
        }
        assertEquals(actions.standing(holder.id()).status(), "dry-run");
        assertEquals(searches, actions.journalSearches(), "no journal segment was searched");
    }

    @Test
    void history_on_disk_is_filtered_like_memory() {
        open(SMALL);
        submit(300, null);
        ActionPage none = actions.list(null, "verified", null, null, 100);
        assertTrue(none.items().isEmpty());
        ActionPage since = actions.list(clock.instant().minus(Duration.ofSeconds(601L * 120 - 1)).toString(), null, null, null, 500);
        assertEquals(120, since.items().size(), "the last 120 accepted in that span, some of them from disk");
    }

    @Test
    void an_idempotency_key_is_honoured_within_its_window_and_forgotten_after() {
        open(SMALL);
        ActionAnswer first = submit(1, "same-").get(0);
        assertEquals(first, actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "same-0", null, null, null)));
        submit(150, "other-");
        clock.advance(Duration.ofSeconds(601));
        ActionAnswer later = actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "same-0", null, null, null));
        assertFalse(first.id().equals(later.id()), "beyond the last 100 keys the key is new again");
    }

    @Test
    void start_reads_the_checkpoint_and_replays_nothing_after_a_clean_stop() {
        open(SMALL);
        submit(500, "k-");
        List<String> before = allIds();
        restart();
        ActionService.Loaded loaded = open(SMALL);
        assertTrue(loaded.fromCheckpoint());
        assertEquals(0, loaded.replayed());
        assertEquals(before, allIds());
        assertEquals("dry-run", actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "k-499", null, null, null))
                .status(), "a key from before the stop still answers the same");
    }

    @Test
    void after_a_crash_only_the_records_after_the_checkpoint_are_replayed() {
        open(SMALL);
        submit(300, null);
        actions.checkpoint();
        List<ActionAnswer> tail = submit(40, "t-");
        crash();
        ActionService.Loaded loaded = open(SMALL);
        assertTrue(loaded.fromCheckpoint());
        assertEquals(80, loaded.replayed(), "40 actions of two records each");
        assertEquals("dry-run", actions.detail(tail.get(39).id()).action().status());
        assertEquals(340, allIds().size());
    }

    @Test
    void an_altered_checkpoint_is_ignored_and_the_state_rebuilt_from_the_journal() throws Exception {
        open(SMALL);
        submit(200, "k-");
        List<String> before = allIds();
        restart();
        Path cp = tmp.resolve("store/" + Checkpoint.FILE);
        Files.writeString(cp, Files.readString(cp).replace("dry-run", "verified"));
        ActionService.Loaded loaded = open(SMALL);
        assertFalse(loaded.fromCheckpoint());
        assertEquals(400, loaded.replayed());
        assertEquals(before, allIds());
        assertTrue(actions.list(null, "verified", null, null, 10).items().isEmpty(), "nothing of the edit got in");
        restart();
        assertTrue(open(SMALL).fromCheckpoint(), "the rebuild wrote a new checkpoint");
    }

    @Test
    void a_checkpoint_of_another_journal_is_not_used() throws Exception {
        open(SMALL);
        submit(20, null);
        restart();
        Path cp = tmp.resolve("store/" + Checkpoint.FILE);
        byte[] saved = Files.readAllBytes(cp);
        open(SMALL);
        submit(5, null);
        restart();
        Files.write(cp, saved); // an old, validly sealed checkpoint put back
        ActionService.Loaded loaded = open(SMALL);
        // It still matches the journal at its position: the records after it are replayed, none lost.
        assertTrue(loaded.fromCheckpoint());
        assertEquals(10, loaded.replayed());
        assertEquals(25, allIds().size());
    }

    @Test
    void context_fields_beyond_their_documented_limits_are_refused_naming_the_field() {
        open(SMALL);
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> actions.submit(new ActionRequest(
                "scale-snapshot", "scale1", new ActionContext(null, null, null, "n".repeat(256), null, null), null, null, null, null)));
        assertEquals("context.filename", e.field());
        e = assertThrows(InvalidInputException.class, () -> actions.submit(new ActionRequest(
                "scale-snapshot", "scale1", new ActionContext(null, null, "/p".repeat(2049), null, null, null), null, null, null, null)));
        assertEquals("context.path", e.field());
        Set<String> fine = Set.of(actions.submit(new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("r".repeat(255), "u".repeat(255), "/" + "p".repeat(4095), "n".repeat(255), java.time.Instant.now().toString(), "1"),
                null, null, null, null)).status());
        assertEquals(Set.of("dry-run"), fine);
    }
}
