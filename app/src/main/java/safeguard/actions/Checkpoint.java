package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
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

        static State from(JsonNode a) {
            ActionContext context = Checkpoint.context(a.get("context"));
            List<Long> timeline = new ArrayList<>();
            for (JsonNode p : a.path("timeline")) {
                timeline.add(p.asLong());
            }
            return new State(text(a, "id"), text(a, "type"), text(a, "target"), text(a, "scope"), context,
                    instant(a, "acceptedAt"), strings(a.get("plan")), a.path("dryRun").asBoolean(),
                    text(a, "coalescedInto"), text(a, "status"), instant(a, "finishedAt"), a.path("coalesced").asInt(),
                    a.path("started").asBoolean(), strings(a.get("result")), text(a, "error"), timeline);
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
            Body body = parse(b);
            if ((body.format() != FORMAT && body.format() != FORMAT_BEFORE_LEDGER) || body.end() == null || !matches(journal, body.end())) {
                return null;
            }
            return body;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * Read as a tree and mapped by hand, not with {@code readValue(b, Body.class)}: building and warming up
     * Jackson's deserializers for these records took ~200 ms of every start with a checkpoint, before /debug could
     * answer; the tree takes ~50 ms (issue #21). The few targets' ledger entries still go through Jackson.
     */
    static Body parse(byte[] b) throws IOException {
        JsonNode root = Json.mapper().readTree(b);
        JsonNode e = root.path("end");
        Journal.End end = e.isObject() ? new Journal.End(e.path("position").asLong(), e.path("seq").asLong(),
                text(e, "hash")) : null;
        List<State> actions = new ArrayList<>();
        for (JsonNode a : root.path("actions")) {
            actions.add(State.from(a));
        }
        List<Key> keys = new ArrayList<>();
        for (JsonNode k : root.path("keys")) {
            JsonNode a = k.path("answer");
            keys.add(new Key(k.path("hi").asLong(), k.path("lo").asLong(), instant(k, "at"), a.isObject()
                    ? new ActionAnswer(text(a, "id"), text(a, "status"), text(a, "coalescedInto"), text(a, "reason"),
                    text(a, "covering")) : null));
        }
        Map<String, TargetLedger.Entry> targets = null;
        if (root.hasNonNull("targets")) {
            targets = new LinkedHashMap<>();
            for (var t : (Iterable<Map.Entry<String, JsonNode>>) root.get("targets")::fields) {
                JsonNode n = t.getValue();
                Map<Long, Map<String, Integer>> hours = new java.util.TreeMap<>();
                n.path("hours").fields().forEachRemaining(h -> {
                    Map<String, Integer> counts = new LinkedHashMap<>();
                    h.getValue().fields().forEachRemaining(c -> counts.put(c.getKey(), c.getValue().asInt()));
                    hours.put(Long.parseLong(h.getKey()), counts);
                });
                targets.put(t.getKey(), new TargetLedger.Entry(summary(n.get("newest")), summary(n.get("decisive")),
                        summary(n.get("protectedCopy")), summary(n.get("lastFailure")), hours));
            }
        }
        return new Body(root.path("format").asInt(), end, actions, keys, strings(root.path("windows")), targets);
    }

    private static ActionSummary summary(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        JsonNode d = n.get("durationMs");
        return new ActionSummary(text(n, "id"), text(n, "type"), text(n, "target"), text(n, "scope"), text(n, "status"),
                text(n, "acceptedAt"), text(n, "finishedAt"), d == null || d.isNull() ? null : d.asLong(),
                context(n.get("context")), text(n, "coalescedInto"), n.path("coalesced").asInt(),
                n.path("dryRun").asBoolean(), strings(n.get("result")), text(n, "error"));
    }

    private static ActionContext context(JsonNode c) {
        return c == null || !c.isObject() ? null : new ActionContext(text(c, "rule"), text(c, "user"), text(c, "path"),
                text(c, "filename"), text(c, "eventTime"), text(c, "offenseId"));
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Instant instant(JsonNode n, String field) {
        String t = text(n, field);
        return t == null ? null : Instant.parse(t);
    }

    /** A flat object of strings, in order; null when absent (as Jackson read it). */
    private static Map<String, String> strings(JsonNode n) {
        if (n == null || !n.isObject()) {
            return null;
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.fields().forEachRemaining(f -> out.put(f.getKey(), f.getValue().isNull() ? null : f.getValue().asText()));
        return out;
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
