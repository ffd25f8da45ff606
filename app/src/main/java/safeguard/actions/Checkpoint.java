package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.io.IOException;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.journal.Journal;

/**
 * What the service holds in memory, written beside the journal with the journal position it reflects, so start-up
 * reads it and replays only the records after that position: start-up time no longer grows with the journal.
 * Sealed with the journal's key; a missing, altered or stale checkpoint is ignored and the state is rebuilt from
 * the journal, which stays the only source of truth.
 */
final class Checkpoint {
    static final String FILE = "actions-checkpoint.json";
    /**
     * 2: with the target ledger. A format-1 checkpoint (before the ledger) is still read, so an upgrade starts as
     * fast as before (a full replay of a long journal would keep /debug silent past QRadar's restart check); the
     * ledger then starts from the actions the checkpoint holds.
     */
    private static final int FORMAT = 2;
    private static final int FORMAT_BEFORE_LEDGER = 1;

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record State(String id, String type, String target, String scope, ActionContext context, Instant acceptedAt,
                 Map<String, String> plan, boolean dryRun, String coalescedInto, String status, Instant finishedAt,
                 int coalesced, boolean started, Map<String, String> result, String error, List<Long> timeline) {

        static State of(ActionState s) {
            return new State(s.id, s.type, s.target, s.scope, s.context, s.acceptedAt, s.plan, s.dryRun, s.coalescedInto,
                    s.status, s.finishedAt, s.coalesced, s.started, s.result, s.error, List.copyOf(s.timeline));
        }

        ActionState toState() {
            ActionState s = new ActionState(id, type, target, scope, context, acceptedAt, plan, dryRun, coalescedInto, status);
            s.finishedAt = finishedAt;
            s.coalesced = coalesced;
            s.started = started;
            s.result = result == null ? Map.of() : result;
            s.error = error;
            s.timeline.addAll(timeline);
            return s;
        }
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record Key(long hi, long lo, Instant at, ActionAnswer answer) {
    }

    record Body(int format, Journal.End end, List<State> actions, List<Key> keys, Map<String, String> windows,
                Map<String, TargetLedger.Entry> targets) {
    }

    private Checkpoint() {
    }

    static void write(Journal journal, Journal.End end, List<State> actions, List<Key> keys, Map<String, String> windows,
                      Map<String, TargetLedger.Entry> targets) {
        try {
            journal.writeSidecar(FILE, Json.mapper().writeValueAsBytes(new Body(FORMAT, end, actions, keys, windows,
                    targets)));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** The checkpoint, or null when there is none usable (missing, altered, another format, or not this journal's). */
    static Body read(Journal journal) {
        byte[] b = journal.readSidecar(FILE);
        if (b == null) {
            return null;
        }
        try {
            Body body = Json.mapper().readValue(b, Body.class);
            if ((body.format() != FORMAT && body.format() != FORMAT_BEFORE_LEDGER) || body.end() == null || !matches(journal, body.end())) {
                return null;
            }
            return body;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The journal still holds, at the checkpoint's end, the record the checkpoint saw last. */
    private static boolean matches(Journal journal, Journal.End end) {
        Journal.End now = journal.end();
        if (now.position() == end.position()) {
            return now.seq() == end.seq() && now.hash().equals(end.hash());
        }
        if (now.position() < end.position()) {
            return false;
        }
        try {
            var next = journal.readFirstFrom(end.position());
            return next == null ? now.seq() == end.seq() : next.seq() == end.seq() + 1 && end.hash().equals(next.prev());
        } catch (RuntimeException e) {
            return false;
        }
    }
}
