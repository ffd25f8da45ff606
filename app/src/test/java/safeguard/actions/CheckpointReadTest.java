package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import safeguard.Json;
import safeguard.journal.Journal;

/**
 * The checkpoint is read by hand from a tree (start-up speed, issue #21): it must read back exactly what Jackson
 * wrote and what Jackson's own record mapping reads, every field of every part.
 */
class CheckpointReadTest {
    private static final ActionContext FULL_CONTEXT = new ActionContext("Safeguard: mass rename", "2001",
            "/ibm/gpfs01/sales/q3.xlsx", "q3.xlsx", "2026-12-05T10:00:00Z", "4711");

    private static Checkpoint.State state(String id, ActionContext ctx, String coalescedInto, String status,
                                          Instant finishedAt, Map<String, String> result, String error) {
        Map<String, String> plan = new LinkedHashMap<>();
        plan.put("fileSystem", "gpfs01");
        plan.put("fileset", "sales");
        return new Checkpoint.State(id, "scale-snapshot", "scale1", "sales", ctx, Instant.parse("2026-12-05T10:00:01.123Z"),
                plan, true, coalescedInto, status, finishedAt, 7, true, result, error, List.of(4_294_967_296L, 4_294_967_500L));
    }

    private static ActionSummary summary(String status, ActionContext ctx, Long duration) {
        return new ActionSummary("a-1", "scale-snapshot", "scale1", "sales", status, "2026-12-05T10:00:01Z",
                duration == null ? null : "2026-12-05T10:00:03Z", duration, ctx, "a-0", 3, true,
                duration == null ? null : Map.of("snapshot", "sgc-1"), duration == null ? "refused: busy" : null);
    }

    @Test
    void everyFieldOfAFullCheckpointReadsBackAsJacksonReadsIt() throws Exception {
        var actions = List.of(
                state("a-1", FULL_CONTEXT, null, "protected", Instant.parse("2026-12-05T10:00:03Z"),
                        Map.of("snapshot", "sgc-1"), null),
                state("a-2", new ActionContext("r", null, null, null, null, null), "a-1", "coalesced", null, null,
                        "why not"),
                state("a-3", null, null, "accepted", null, Map.of(), null));
        var keys = List.of(new Checkpoint.Key(-5L, Long.MAX_VALUE, Instant.parse("2026-12-05T10:00:02Z"),
                        new ActionAnswer("a-2", "coalesced", "a-1", "window open", "{\"status\":\"running\"}")),
                new Checkpoint.Key(1L, 2L, Instant.parse("2026-12-05T10:00:04Z"), new ActionAnswer("a-3", "accepted", null, null)));
        Map<String, String> windows = new LinkedHashMap<>();
        windows.put("scale1/sales", "a-1");
        Map<Long, Map<String, Integer>> hours = new java.util.TreeMap<>();
        hours.put(491_234L, Map.of("protected", 2, "coalesced", 9));
        hours.put(491_235L, Map.of("refused", 1));
        Map<String, TargetLedger.Entry> targets = Map.of(
                "scale1", new TargetLedger.Entry(summary("protected", FULL_CONTEXT, 2000L), summary("protected", null, 2000L),
                        summary("protected", null, 2000L), summary("refused", null, null), hours),
                "csm1", new TargetLedger.Entry(summary("running", null, null), null, null, null, Map.of()));
        var written = new Checkpoint.Body(2, new Journal.End(4_294_967_600L, 42, "ab12"), actions, keys, windows, targets);
        byte[] bytes = Json.mapper().writeValueAsBytes(written);

        Checkpoint.Body byHand = Checkpoint.parse(bytes);

        assertEquals(Json.mapper().readValue(bytes, Checkpoint.Body.class), byHand);
        assertEquals(written, byHand);
    }

    @Test
    void aCheckpointFromBeforeTheLedgerReadsWithoutTargets() throws Exception {
        var written = new Checkpoint.Body(1, new Journal.End(10, 1, "cd"), List.of(), List.of(), Map.of(), null);
        byte[] bytes = Json.mapper().writeValueAsBytes(written);

        Checkpoint.Body byHand = Checkpoint.parse(bytes);

        assertEquals(Json.mapper().readValue(bytes, Checkpoint.Body.class), byHand);
        assertNull(byHand.targets());
        assertEquals(1, byHand.format());
    }
}
