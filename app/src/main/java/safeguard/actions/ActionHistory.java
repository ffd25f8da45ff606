package safeguard.actions;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;

/**
 * Actions that are no longer held in memory, read back from the journal on demand: a detail by the action's id
 * (its acceptance time, in the id, says which segment to start in), and pages of the history from the outcome
 * records, which carry the action's summary. Slower than memory (one segment read per step), never unbounded.
 */
final class ActionHistory {
    private static final DateTimeFormatter ID_TIME = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'");
    /** Segments read past an action's acceptance looking for its records: actions end within minutes. */
    private static final int MAX_SEGMENTS_AFTER = 4;
    private static final List<String> OUTCOME_NEEDLES = List.of("\"summary\":{", "\"event\":\"verified\"",
            "\"event\":\"completed\"", "\"event\":\"failed\"", "\"event\":\"dry-run\"", "\"event\":\"interrupted\"");

    private final Journal journal;
    private final Map<Integer, Instant> firstTimes = new ConcurrentHashMap<>();

    ActionHistory(Journal journal) {
        this.journal = journal;
    }

    /** The action rebuilt from its records, or null when the journal has none. */
    ActionState find(String id) {
        Instant accepted = acceptedAt(id);
        if (accepted == null) {
            return null;
        }
        List<Integer> segments = journal.segments();
        int from = 0;
        for (int i = 0; i < segments.size(); i++) {
            // An empty segment's time is not kept: it gets a first record later.
            Instant first = firstTimes.computeIfAbsent(segments.get(i), journal::firstTime);
            if (first != null && !first.isAfter(accepted)) {
                from = i;
            }
        }
        // A clock step back can put the acceptance in the segment before: start one earlier.
        from = Math.max(0, from - 1);
        String needle = "\"action\":\"" + id + "\"";
        ActionState[] state = new ActionState[1];
        boolean[] ended = new boolean[1];
        for (int i = from; i < segments.size() && i <= from + 1 + MAX_SEGMENTS_AFTER && !ended[0]; i++) {
            journal.lines(segments.get(i), List.of(needle), line -> {
                JournalRecord r = Journal.parse(line.text());
                if (!id.equals(r.action())) {
                    return;
                }
                if (state[0] == null) {
                    state[0] = ActionState.first(r);
                } else {
                    state[0].apply(r);
                }
                state[0].timeline.add(line.position());
                ended[0] |= state[0].terminal();
            });
        }
        return state[0];
    }

    /** A page of outcome records before {@code before} (a position; Long.MAX_VALUE for the end), newest first. */
    Page page(long before, Predicate<ActionSummary> keep, Predicate<String> skipId, Instant since, int limit) {
        List<ActionSummary> out = new ArrayList<>();
        List<Integer> segments = journal.segments();
        long next = -1;
        for (int i = segments.size() - 1; i >= 0 && out.size() < limit; i--) {
            int seg = segments.get(i);
            if (((long) seg << 40) > before) {
                continue;
            }
            List<Journal.Line> lines = new ArrayList<>();
            journal.lines(seg, OUTCOME_NEEDLES, lines::add);
            boolean older = false;
            for (int k = lines.size() - 1; k >= 0; k--) {
                Journal.Line l = lines.get(k);
                if (l.position() >= before) {
                    continue;
                }
                JournalRecord r = Journal.parse(l.text());
                if (r.action() == null || skipId.test(r.action())) {
                    continue;
                }
                ActionSummary s = summary(r, journal);
                if (s == null) {
                    continue;
                }
                if (since != null && Instant.parse(r.time()).isBefore(since)) {
                    older = true;
                    break;
                }
                if (keep.test(s) && (since == null || !Instant.parse(s.acceptedAt()).isBefore(since))) {
                    if (out.size() == limit) {
                        break;
                    }
                    out.add(s);
                    next = l.position();
                }
            }
            if (older) {
                break;
            }
        }
        return new Page(out, out.size() == limit ? next : -1);
    }

    record Page(List<ActionSummary> items, long next) {
    }

    /** The summary an outcome record carries, or the little an older journal's outcome says. */
    private static ActionSummary summary(JournalRecord r, Journal journal) {
        var d = r.data();
        if (d.has("summary")) {
            com.fasterxml.jackson.databind.node.ObjectNode n = d.path("summary").deepCopy();
            if (!n.has("context") && d.hasNonNull("context")) {
                n.set("context", d.get("context"));
            }
            if (!n.has("context") && d.has("opened")) {
                // An outcome names its action's opening record, which holds the context (written once).
                var context = journal.read(d.path("opened").asLong()).data().get("context");
                if (context != null && !context.isNull()) {
                    n.set("context", context);
                }
            }
            return safeguard.Json.mapper().convertValue(n, ActionSummary.class);
        }
        if (!ActionState.TERMINAL.contains(r.event())) {
            return null;
        }
        Map<String, String> result = ActionState.strings(d.path("result"));
        Instant at = acceptedAt(r.action());
        return new ActionSummary(r.action(), null, null, null, r.event(), at == null ? r.time() : at.toString(), r.time(),
                null, null, null, 0, false, result.isEmpty() ? null : result, d.path("error").asText(null));
    }

    /** The acceptance time an action id carries ({@code a-20261124T101500Z-1a2b3c4d}), or null. */
    static Instant acceptedAt(String id) {
        if (id == null || id.length() < 18 || !id.startsWith("a-")) {
            return null;
        }
        try {
            return LocalDateTime.parse(id.substring(2, 18), ID_TIME).toInstant(ZoneOffset.UTC);
        } catch (RuntimeException e) {
            return null;
        }
    }
}
