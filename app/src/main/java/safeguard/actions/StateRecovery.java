package safeguard.actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;

/**
 * Recovery of state: rebuilding memory at start from the checkpoint (with the Overview's {@link TargetLedger}) and
 * the records after it, writing checkpoints, resuming what the journal shows unfinished, and ending the actions
 * whose accept record was lost (orphans).
 */
final class StateRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
    /** The records of a run: an action with these but without an accept record lost what it was asked. */
    private static final java.util.Set<String> RUN_EVENTS = java.util.Set.of("started", "resumed", "request", "answer");

    private final ActionMemory m;
    private final TargetQueues queues;
    private final Journal journal;
    /** Actions the journal shows running without their accept record, by id, with their first record's time. */
    private final Map<String, Instant> orphans = new LinkedHashMap<>();
    private final java.util.concurrent.ScheduledExecutorService checkpointer;

    /** Read at each checkpoint: the journal's retention period is the admin's to change. */
    private final java.util.function.Supplier<safeguard.settings.Settings> settings;

    StateRecovery(ActionMemory m, TargetQueues queues, java.util.function.Supplier<safeguard.settings.Settings> settings) {
        this.settings = settings;
        this.m = m;
        this.queues = queues;
        this.journal = m.journal;
        this.checkpointer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "actions-checkpoint");
            t.setDaemon(true);
            return t;
        });
    }

    /** Stops the periodic checkpoints (the stop writes its own). */
    void stopCheckpoints() {
        checkpointer.shutdownNow();
    }

    /**
     * Rebuilds state (reading only; call before serving): from the checkpoint plus the records after it, or, when
     * there is no usable checkpoint, from the whole journal (then a checkpoint is written at once, so the next
     * start is quick again).
     */
    ActionService.Loaded load() {
        Checkpoint.Body cp = Checkpoint.read(journal);
        long from = 0;
        if (cp != null) {
            synchronized (m.lock) {
                m.ledger.restore(cp.targets());
                for (Checkpoint.State st : cp.actions()) {
                    ActionState a = st.toState();
                    if (cp.targets() != null) {
                        TargetLedger.adopt(a);
                    } else {
                        m.ledger.sync(a, m.clock.instant());
                    }
                    m.actions.put(a.id, a);
                    if (!a.dryRun && a.coalescedInto == null && !a.plan.isEmpty() && !ActionService.RECOVERY_TYPES.contains(a.type)) {
                        m.admission.started(a.target + "/" + a.scope, a.acceptedAt);
                    }
                }
                for (ActionState a : m.actions.values()) {
                    linkHolder(a);
                }
                if (cp.targets() == null) {
                    LOG.warn("actions checkpoint from before the Overview's per-target state: the Overview counts the"
                            + " {} actions it holds and those after it; older ones show again once a target acts", m.actions.size());
                }
                cp.windows().forEach((scope, id) -> {
                    ActionState a = m.actions.get(id);
                    if (a != null) {
                        m.windows.put(scope, a);
                    }
                });
                for (Checkpoint.Key k : cp.keys()) {
                    m.answers.put(new IdempotencyKeys.KeyId(k.hi(), k.lo()), CompletableFuture.completedFuture(k.answer()), k.at());
                }
            }
            from = cp.end().position();
        } else {
            LOG.info("no usable actions checkpoint: rebuilding from the whole journal");
        }
        long t0 = System.nanoTime();
        long[] replayed = new long[1];
        journal.replay(from, w -> {
            replayed[0]++;
            replayOne(w);
        });
        LOG.info("actions loaded: {} in memory, {} journal records replayed{} in {} ms", m.actions.size(), replayed[0],
                cp == null ? " (no checkpoint)" : " after the checkpoint", (System.nanoTime() - t0) / 1_000_000);
        if (cp == null || replayed[0] > m.limits.checkpointEvery()) {
            checkpoint();
        }
        checkpointer.scheduleWithFixedDelay(this::checkpointIfDue, 5, 5, TimeUnit.SECONDS);
        return new ActionService.Loaded(cp != null, replayed[0], m.footprint().actions());
    }

    /** Writes a checkpoint when enough records were journaled since the last one. */
    private void checkpointIfDue() {
        boolean due;
        synchronized (m.lock) {
            due = m.sinceCheckpoint >= m.limits.checkpointEvery();
        }
        if (due) {
            checkpoint();
        }
    }

    /** Writes the in-memory state with the journal position that state reflects. */
    void checkpoint() {
        Journal.End end;
        List<Checkpoint.State> states;
        List<Checkpoint.Key> keys = new ArrayList<>();
        Map<String, String> w = new LinkedHashMap<>();
        Map<String, TargetLedger.Entry> ledgerNow;
        synchronized (m.lock) {
            Journal.End now = journal.end();
            // Records written by appends still in flight may not be applied yet: claim only what is before them
            // (replaying a record twice is harmless: its position is already on the action's timeline).
            end = m.inFlight.isEmpty() ? now : new Journal.End(m.inFlight.firstKey(), -1, null);
            // An action still being journaled is not claimed: if its record becomes durable it follows the position.
            states = m.actions.values().stream().filter(a -> !m.opening.containsKey(a.id)).map(Checkpoint.State::of).toList();
            m.answers.settled().forEach((id, e) -> keys.add(new Checkpoint.Key(id.hi(), id.lo(), e.at(), e.answer().join())));
            m.windows.forEach((scope, a) -> {
                if (!m.opening.containsKey(a.id)) {
                    w.put(scope, a.id);
                }
            });
            ledgerNow = m.ledger.snapshot(m.clock.instant());
            m.sinceCheckpoint = 0;
        }
        try {
            if (end.hash() == null) {
                JournalRecord first = journal.readFirstFrom(end.position());
                end = first == null ? journal.end() : new Journal.End(end.position(), first.seq() - 1, first.prev());
            }
            Checkpoint.write(journal, end, states, keys, w, ledgerNow);
        } catch (RuntimeException e) {
            LOG.warn("could not write the actions checkpoint (start-up will replay more): {}", e.toString());
            return;
        }
        try {
            // Only what this checkpoint covers, and past the retention period the admin set (read now, so a change
            // applies at the next checkpoint).
            Integer days = settings.get().journalRetentionDays();
            if (days == null) {
                journal.archive(end.position());
            } else {
                journal.archive(end.position(), java.time.Duration.ofDays(days));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not archive old journal segments: {}", e.toString());
        }
    }

    /** Resumes, or marks interrupted, every action the journal shows without an outcome. */
    void resume() {
        List<ActionState> unfinished = new ArrayList<>();
        synchronized (m.lock) {
            for (ActionState s : m.actions.values()) {
                if (!s.terminal()) {
                    unfinished.add(s);
                }
            }
        }
        // Every type can run again safely: a resumed run adopts the snapshot, backup or job run an earlier one
        // started instead of asking again.
        for (ActionState s : unfinished) {
            if (s.dryRun) {
                // Its "dry-run" record was lost (torn by a crash): it was a rehearsal and stays one.
                m.end(s, "dry-run", Json.mapper().createObjectNode().put("reason", "the app stopped before this dry run "
                        + "was recorded as ended; it stays a dry run: nothing was or will be called"), Map.of(), null);
                continue;
            }
            m.append(s, "resumed", Json.mapper().createObjectNode().put("reason", "restart found the action unfinished"));
            boolean begun;
            List<Long> positions;
            synchronized (m.lock) {
                s.status = "accepted";
                begun = s.started;
                positions = List.copyOf(s.timeline);
            }
            // Only a run whose creating request was journaled (write-ahead: so maybe sent) may have reached
            // the storage system: that one looks before it asks again; any other asks at once.
            List<JournalRecord> records = begun ? positions.stream().map(journal::read).toList() : List.of();
            boolean mayHaveAsked = records.stream().anyMatch(r -> r.event().equals("request") && r.data().has("creates"));
            java.util.Set<String> existing = null;
            for (JournalRecord r : records) {
                // In the creating request's record; older versions wrote an "existing" record just before it.
                boolean inRequest = r.event().equals("request") && r.data().has("existing");
                if (inRequest || r.event().equals("existing")) {
                    java.util.Set<String> found = new java.util.HashSet<>();
                    r.data().path(inRequest ? "existing" : "ids").forEach(n -> found.add(n.asText()));
                    existing = found;
                }
            }
            synchronized (m.lock) {
                s.existing = existing;
            }
            queues.enqueue(s, mayHaveAsked);
        }
        if (!unfinished.isEmpty()) {
            LOG.warn("recovered {} unfinished actions from the journal", unfinished.size());
        }
        Map<String, Instant> lost;
        synchronized (m.lock) {
            lost = new LinkedHashMap<>(orphans);
            orphans.clear();
        }
        lost.forEach((id, at) -> {
            ActionState s = new ActionState(id, "unknown", "unknown", "unknown", null, at, null, false, null, "unrecoverable");
            synchronized (m.lock) {
                m.actions.put(id, s);
            }
            String why = "the journal lost this action's accept record (torn or damaged), so what it was asked to do "
                    + "(mode, target, scope) is unknown: it is not run; check the storage system for a copy it may have made";
            m.end(s, "unrecoverable", Json.mapper().createObjectNode().put("type", s.type).put("target", s.target)
                    .put("scope", s.scope).put("reason", why), Map.of(), why);
            LOG.warn("action {}: {}", id, why);
        });
    }

    private void replayOne(Journal.Written w) {
        JournalRecord r = w.record();
        if (r.action() == null) {
            return;
        }
        synchronized (m.lock) {
            ActionState s = m.actions.get(r.action());
            if (s != null && s.timeline.contains(w.position())) {
                return; // already in the checkpoint
            }
            boolean opening = r.event().equals("accepted") || r.event().equals("coalesced")
                    || ((r.event().equals("refused") || r.event().equals("unrecoverable")) && s == null);
            if (s == null && !opening) {
                if (RUN_EVENTS.contains(r.event())) {
                    orphans.putIfAbsent(r.action(), Instant.parse(r.time())); // its accept record is missing
                } else if (r.data().has("summary")) {
                    orphans.remove(r.action()); // it ended: nothing to run
                }
                return; // else a late record (an offense note) of an action that has left memory
            }
            orphans.remove(r.action());
            if (s == null) {
                s = ActionState.first(r);
                m.actions.put(s.id, s);
                if (s.status.equals("accepted") && !ActionService.RECOVERY_TYPES.contains(s.type)) {
                    m.windows.put(s.target + "/" + s.scope, s);
                    if (!s.dryRun) {
                        m.admission.started(s.target + "/" + s.scope, s.acceptedAt);
                    }
                }
                if (s.coalescedInto != null) {
                    ActionState holder = linkHolder(s);
                    if (holder != null) {
                        holder.coalesced++;
                    }
                }
                String key = r.data().path("idempotencyKey").asText(null);
                if (key != null) {
                    m.answers.put(IdempotencyKeys.KeyId.of(key), CompletableFuture.completedFuture(new ActionAnswer(s.id,
                            s.dryRun && s.status.equals("accepted") ? "dry-run" : s.status, s.coalescedInto,
                            r.data().path("reason").asText(null))), s.acceptedAt);
                }
                m.evict();
            } else {
                s.apply(r);
            }
            s.timeline.add(w.position());
            m.ledger.sync(s, m.clock.instant());
        }
    }

    /** Links a coalesced request to the action covering it, when that one is known; under the lock. */
    private ActionState linkHolder(ActionState s) {
        if (s.coalescedInto == null) {
            return null;
        }
        ActionState holder = s.holder != null ? s.holder : m.actions.get(s.coalescedInto);
        if (holder == null) {
            // The covering action may have left the recent window while its window is still open.
            ActionState open = m.windows.get(s.target + "/" + s.scope);
            holder = open != null && open.id.equals(s.coalescedInto) ? open : null;
        }
        if (holder != null) {
            s.holder = holder;
            m.coveredBy.put(s.id, holder);
        }
        return holder;
    }
}
