package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.NotFoundException;
import safeguard.journal.Journal;

/**
 * What the engine holds in memory, one lock for all of it, and the one way a record changes it: appended to the
 * journal first, then applied. Admission, the target queues, recovery of state and reading share it.
 */
final class ActionMemory {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);

    final Journal journal;
    final Clock clock;
    final ActionLimits limits;
    final ActionHistory history;
    final ActionIds ids = new ActionIds();
    /** Per target, what the Overview shows, kept as actions change (guarded by lock). */
    final TargetLedger ledger = new TargetLedger();
    final Object lock = new Object();
    /** The recent window (and every unfinished action), oldest first; older ones are read from the journal. */
    final Map<String, ActionState> actions = new LinkedHashMap<>();
    final IdempotencyKeys answers;
    final Map<String, ActionState> windows = new HashMap<>();
    /** Actions whose opening record (accepted, coalesced, refused) is being journaled: not yet real. */
    final Map<String, CompletableFuture<Void>> opening = new HashMap<>();
    /**
     * The action each recent coalesced request was coalesced into, however long ago that action left the recent
     * window: a burst's answers and its scripts' waits are read from memory, never from journal segments. As many
     * as idempotency keys are kept (a request older than those is read from the journal).
     */
    final Map<String, ActionState> coveredBy;
    final Admission admission = new Admission();
    /** Where the journal ended when each in-flight append began: a checkpoint may only claim what is before all. */
    final java.util.TreeMap<Long, Integer> inFlight = new java.util.TreeMap<>();
    long sinceCheckpoint;

    ActionMemory(Journal journal, Clock clock, ActionLimits limits) {
        this.journal = journal;
        this.clock = clock;
        this.limits = limits;
        this.history = new ActionHistory(journal);
        this.answers = new IdempotencyKeys(limits.idempotencyKeys(), limits.idempotencyTtl());
        int covered = limits.idempotencyKeys();
        this.coveredBy = new LinkedHashMap<>() {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, ActionState> eldest) {
                return size() > covered;
            }
        };
    }

    boolean inMemory(String id) {
        synchronized (lock) {
            return actions.containsKey(id);
        }
    }

    ActionState stateOf(String id) {
        ActionState s;
        synchronized (lock) {
            s = actions.get(id);
        }
        s = s != null ? s : history.find(id);
        if (s == null) {
            throw new NotFoundException("no action " + id);
        }
        return s;
    }

    /** Records a step of an action that is not part of its run (ending a clean-room restore) on its timeline. */
    void note(String id, String event, JsonNode data) {
        ActionState s;
        synchronized (lock) {
            s = actions.get(id);
        }
        if (s != null) {
            append(s, event, data);
        } else {
            journal.append(id, event, data);
        }
    }

    private void finish(ActionState s, String status, Map<String, String> result, String error) {
        synchronized (lock) {
            s.status = status;
            s.finishedAt = clock.instant();
            s.result = result;
            s.error = error;
            ledger.sync(s, s.finishedAt);
        }
    }

    /**
     * The action's last word: its outcome record carries the action's summary, so the history can be listed from
     * outcome records alone once the action has left memory.
     */
    void end(ActionState s, String status, ObjectNode data, Map<String, String> result, String error) {
        ActionSummary told;
        ObjectNode summary;
        Long opened;
        synchronized (lock) {
            told = s.summaryAs(status, clock.instant(), result, error);
            summary = Json.mapper().valueToTree(told);
            opened = s.timeline.isEmpty() ? null : s.timeline.get(0);
        }
        if (opened != null) {
            // The context (up to ~5 KB with a long path) is in the opening record: written once, read from there.
            summary.remove("context");
            data.put("opened", opened);
        }
        data.set("summary", summary);
        append(s, status, data);
        finish(s, status, result, error);
        try {
            ended.accept(told);
        } catch (RuntimeException e) {
            LOG.warn("after action {} ended: {}", s.id, e.toString());
        }
    }

    private volatile java.util.function.Consumer<ActionSummary> ended = a -> { };

    /**
     * Told of every action's end (on the target's thread: it must only queue work). Offense notes use it, on
     * their own queue, so a slow console never delays the next snapshot.
     */
    void onEnd(java.util.function.Consumer<ActionSummary> listener) {
        this.ended = listener;
    }

    void append(ActionState s, String event, JsonNode data) {
        long mark;
        synchronized (lock) {
            mark = journal.end().position();
            inFlight.merge(mark, 1, Integer::sum);
        }
        Journal.Written w = null;
        try {
            w = journal.append(s.id, event, data);
        } finally {
            // One lock for applying the record and leaving the in-flight set: a checkpoint sees both or neither.
            synchronized (lock) {
                if (w != null) {
                    s.timeline.add(w.position());
                    sinceCheckpoint++;
                    ledger.sync(s, clock.instant());
                }
                inFlight.computeIfPresent(mark, (k, n) -> n == 1 ? null : n - 1);
            }
        }
    }

    /** Keeps the recent window: the oldest ended actions leave memory (they stay in the journal). */
    void evict() {
        if (actions.size() <= limits.recentActions()) {
            return;
        }
        var it = actions.values().iterator();
        while (actions.size() > limits.recentActions() && it.hasNext()) {
            ActionState old = it.next();
            if (old.terminal()) {
                it.remove();
            }
        }
    }

    ActionService.Footprint footprint() {
        synchronized (lock) {
            return new ActionService.Footprint(actions.size(), answers.size(), windows.size());
        }
    }
}
