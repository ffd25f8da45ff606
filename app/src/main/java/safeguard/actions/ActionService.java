package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.NotFoundException;
import safeguard.journal.ChainReport;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;
import safeguard.qradar.QradarClient;
import safeguard.settings.Settings;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;

/**
 * Turns rule firings into storage work. Every request is journaled (durably) before it is answered; a burst for
 * the same target and scope inside the target's interval is coalesced into one action; the same idempotency key
 * gets the same answer; each target runs one job at a time from a bounded queue; dry-run targets are never
 * called. After a crash, actions without an outcome are resumed or marked interrupted.
 */
public final class ActionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
    /** Admin-started restores (the recover package plans them): they bring data back; every other type protects. */
    public static final java.util.Set<String> RECOVERY_TYPES = java.util.Set.of("scale-restore", "csm-recover",
            "cdm-cleanroom");

    private final Journal journal;
    private final TargetService targets;
    private final ActionRunner runner;
    private final ActionPlans plans;
    private final Clock clock;
    private final int queueCapacity;
    private final Supplier<Settings> settings;

    private final ActionLimits limits;
    private final ActionHistory history;
    private final ActionIds ids = new ActionIds();
    /** Per target, what the Overview shows, kept as actions change (guarded by lock). */
    private final TargetLedger ledger = new TargetLedger();
    private final Object lock = new Object();
    /** The recent window (and every unfinished action), oldest first; older ones are read from the journal. */
    private final Map<String, ActionState> actions = new LinkedHashMap<>();
    private final IdempotencyKeys answers;
    private final Map<String, ActionState> windows = new HashMap<>();
    /** Actions whose opening record (accepted, coalesced, refused) is being journaled: not yet real. */
    private final Map<String, CompletableFuture<Void>> opening = new HashMap<>();
    /**
     * The action each recent coalesced request was coalesced into, however long ago that action left the recent
     * window: a burst's answers and its scripts' waits are read from memory, never from journal segments. As many
     * as idempotency keys are kept (a request older than those is read from the journal).
     */
    private final Map<String, ActionState> coveredBy;
    private final Admission admission = new Admission();
    /** Actions the journal shows running without their accept record, by id, with their first record's time. */
    private final Map<String, Instant> orphans = new LinkedHashMap<>();
    /** The records of a run: an action with these but without an accept record lost what it was asked. */
    private static final java.util.Set<String> RUN_EVENTS = java.util.Set.of("started", "resumed", "request", "answer");
    private final Map<String, ThreadPoolExecutor> queues = new HashMap<>();
    /** Where the journal ended when each in-flight append began: a checkpoint may only claim what is before all. */
    private final java.util.TreeMap<Long, Integer> inFlight = new java.util.TreeMap<>();
    private long sinceCheckpoint;
    private final java.util.concurrent.ScheduledExecutorService checkpointer;

    public ActionService(Journal journal, TargetService targets, Connector connector, QradarClient qradar, Clock clock,
                         int queueCapacity) {
        this(journal, targets, connector, qradar, clock, queueCapacity, () -> Settings.DEFAULTS);
    }

    /** {@code settings} is read on every trigger: a change in the Settings page applies to the next one. */
    public ActionService(Journal journal, TargetService targets, Connector connector, QradarClient qradar, Clock clock,
                         int queueCapacity, Supplier<Settings> settings) {
        this(journal, targets, connector, qradar, clock, queueCapacity, settings, ActionLimits.DEFAULTS);
    }

    /** {@code qradar} is not used here any more: offense notes are written by safeguard.offenses ({@link #onEnd}). */
    public ActionService(Journal journal, TargetService targets, Connector connector, QradarClient qradar, Clock clock,
                         int queueCapacity, Supplier<Settings> settings, ActionLimits limits) {
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
        this.checkpointer = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "actions-checkpoint");
            t.setDaemon(true);
            return t;
        });
        this.settings = settings;
        this.journal = journal;
        this.targets = targets;
        this.runner = new ActionRunner(connector);
        this.plans = new ActionPlans(targets, new ScaleLayouts(ScaleLayouts.of(connector), clock));
        this.clock = clock;
        this.queueCapacity = queueCapacity;
    }

    // ---- accepting -------------------------------------------------------------------------------------------

    /**
     * Decides, journals durably, answers. Storage work runs later, in the target's queue. A new action's window
     * and idempotency answer count only once its record is durable: a request that finds a window whose holder is
     * still being journaled waits for it, and decides again if that write failed (the window is gone then).
     */
    public ActionAnswer submit(ActionRequest req) {
        ActionPlans.Validated v = plans.validate(req, Boolean.TRUE.equals(settings.get().dryRunAll()));
        CompletableFuture<ActionAnswer> mine = new CompletableFuture<>();
        CompletableFuture<ActionAnswer> earlier = null;
        if (v.idempotencyKey() != null) {
            synchronized (lock) {
                earlier = answers.putIfAbsent(v.idempotencyKey(), mine, clock.instant());
            }
        }
        if (earlier != null) {
            return sameRequest(await(earlier), v);
        }
        ActionState state = null;
        ActionState covering = null;
        String refusal = v.refusal();
        String folded = null;
        String windowKey = v.target().name() + "/" + v.scope();
        CompletableFuture<Void> journaled = new CompletableFuture<>();
        try {
            while (state == null) {
                CompletableFuture<Void> holderPending = null;
                synchronized (lock) {
                    Instant now = clock.instant();
                    Settings policy = settings.get();
                    boolean dry = v.target().dryRun() || Boolean.TRUE.equals(policy.dryRunAll());
                    ActionState holder = windows.get(windowKey);
                    holderPending = refusal == null && holder != null ? opening.get(holder.id) : null;
                    if (holderPending == null) {
                        Admission.Decision d = refusal != null ? Admission.Decision.NEW : admission.decide(windowKey, holder,
                                now, ActionPlans.window(v.target(), policy), dry,
                                policy.attemptsPerHour() == null ? Settings.DEFAULTS.attemptsPerHour() : policy.attemptsPerHour());
                        if (d.into() != null) {
                            covering = d.into();
                            folded = d.why();
                            covering.coalesced++;
                            state = new ActionState(ids.next(now), req.type(), v.target().name(), v.scope(), v.context(), now, null,
                                    dry, covering.id, "coalesced");
                            state.holder = covering;
                            coveredBy.put(state.id, covering);
                        } else {
                            if (refusal == null && !dry && queue(v.target().name()).getQueue().remainingCapacity() == 0) {
                                refusal = "target " + v.target().name() + " has " + queueCapacity + " actions waiting; try again later";
                            }
                            String id = ids.next(now);
                            state = new ActionState(id, req.type(), v.target().name(), v.scope(), v.context(), now,
                                    refusal == null ? ActionPlans.plan(v, id, now) : null, dry, null,
                                    refusal != null && !v.unreachable() ? "refused" : dry ? "dry-run" : "accepted");
                            if (refusal == null) {
                                windows.put(windowKey, state);
                                if (!dry) {
                                    admission.started(windowKey, now);
                                }
                            }
                        }
                        opening.put(state.id, journaled);
                        actions.put(state.id, state);
                        evict();
                    }
                }
                if (holderPending != null) {
                    // The window's first action is still being journaled: its outcome decides what this one joins.
                    holderPending.handle((ok, failed) -> null).join();
                }
            }
            ActionAnswer answer;
            try {
                answer = record(state, v, covering, folded, refusal);
            } finally {
                synchronized (lock) {
                    opening.remove(state.id);
                }
            }
            journaled.complete(null);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            boolean written;
            synchronized (lock) {
                written = state != null && !state.timeline.isEmpty();
            }
            if (written) {
                // Its opening record is durable: the action exists (a later step failed; a restart resumes it).
                LOG.warn("action {} was journaled but a later step failed: {}", state.id, e.toString());
                ActionAnswer answer = new ActionAnswer(state.id, covering != null ? "coalesced" : refusal != null
                        ? "refused" : state.dryRun ? "dry-run" : "accepted", covering == null ? null : covering.id,
                        covering != null ? folded : refusal);
                journaled.complete(null);
                mine.complete(answer);
                return answer;
            }
            synchronized (lock) {
                if (v.idempotencyKey() != null) {
                    answers.remove(v.idempotencyKey(), mine);
                }
                if (state != null) {
                    // Never journaled: no trace of it may stay, or a later firing would join an action that is not.
                    actions.remove(state.id);
                    coveredBy.remove(state.id);
                    windows.remove(windowKey, state);
                    if (covering != null) {
                        covering.coalesced--;
                    }
                }
            }
            journaled.completeExceptionally(e);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private ActionAnswer record(ActionState s, ActionPlans.Validated v, ActionState covering, String folded,
                                String refusal) {
        ObjectNode data = base(s, v.idempotencyKey());
        if (covering != null) {
            data.put("into", covering.id).put("reason", folded);
            data.set("summary", summaryWithoutContext(s));
            append(s, "coalesced", data);
            return new ActionAnswer(s.id, "coalesced", covering.id, folded);
        }
        if (v.unreachable()) {
            // The storage system could not be read to place the path: taken, and not protected, saying why.
            data.set("plan", Json.mapper().createObjectNode().put("placement", refusal));
            data.put("dryRun", s.dryRun);
            append(s, "accepted", data);
            end(s, "not-protected", Json.mapper().createObjectNode().put("reason", refusal), Map.of(), refusal);
            return new ActionAnswer(s.id, "accepted", null, null);
        }
        if (refusal != null) {
            data.put("reason", refusal);
            if (v.placement() != null) {
                data.put("placement", v.placement());
            }
            synchronized (lock) {
                s.finishedAt = s.acceptedAt;
                s.error = refusal;
            }
            data.set("summary", summaryWithoutContext(s));
            append(s, "refused", data);
            return new ActionAnswer(s.id, "refused", null, refusal);
        }
        data.set("plan", Json.mapper().valueToTree(s.plan));
        data.put("dryRun", s.dryRun);
        append(s, "accepted", data);
        if (s.dryRun) {
            ObjectNode would = Json.mapper().createObjectNode();
            would.set("wouldCall", Json.mapper().valueToTree(ActionPlans.wouldCall(v.target(), s)));
            end(s, "dry-run", would, Map.of(), null);
            return new ActionAnswer(s.id, "dry-run", null, null);
        }
        try {
            queue(queueOf(s)).execute(() -> run(s, false));
        } catch (RejectedExecutionException full) {
            String why = "target " + s.target + " has " + queueCapacity + " actions waiting; try again later";
            end(s, "refused", Json.mapper().createObjectNode().put("reason", why), Map.of(), why);
            return new ActionAnswer(s.id, "refused", null, why);
        }
        return new ActionAnswer(s.id, "accepted", null, null);
    }

    /**
     * The earlier answer of a reused idempotency key, when it was given for the same type, target and scope: a key
     * is bound to what was asked, so it cannot stand for (and pre-empt) another request.
     */
    private ActionAnswer sameRequest(ActionAnswer earlier, ActionPlans.Validated v) {
        ActionState first = stateOf(earlier.id());
        String type = first.type;
        if (!type.equals(v.type()) || !first.target.equals(v.target().name()) || !first.scope.equals(v.scope())) {
            throw new safeguard.ConflictException("idempotencyKey", "idempotencyKey was already used for a " + type
                    + " on target " + first.target + " (scope " + first.scope + "), not for this " + v.type() + " on "
                    + v.target().name() + " (scope " + v.scope() + "); send a new key for a different request");
        }
        return earlier;
    }

    /** A summary for a record whose data already holds the context (read back with it: see ActionHistory). */
    private JsonNode summaryWithoutContext(ActionState s) {
        ObjectNode n;
        synchronized (lock) {
            n = Json.mapper().valueToTree(s.summary());
        }
        n.remove("context");
        return n;
    }

    private static ActionAnswer await(CompletableFuture<ActionAnswer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static ObjectNode base(ActionState s, String key) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("type", s.type).put("target", s.target).put("scope", s.scope);
        data.set("context", Json.mapper().valueToTree(s.context));
        if (key != null) {
            data.put("idempotencyKey", key);
        }
        return data;
    }

    // ---- recoveries (admin-started restores) ------------------------------------------------------------------

    /**
     * Starts a restore an admin asked for ({@code plan} fixed and checked by the recover package): journaled and
     * resumed like any action, never coalesced, and run in the target's recovery queue, so a long copy never
     * delays a protective snapshot. The incident's own timeline gets a record naming the recovery.
     */
    public ActionAnswer startRecovery(String type, String target, Map<String, String> plan, String recoveryOf) {
        if (!RECOVERY_TYPES.contains(type)) {
            throw new IllegalArgumentException("not a recovery type: " + type);
        }
        Instant now = clock.instant();
        ActionState s = new ActionState(ids.next(now), type, target, "recovery", null, now, plan, false, null,
                "accepted");
        synchronized (lock) {
            actions.put(s.id, s);
            evict();
        }
        ObjectNode data = base(s, null);
        data.set("plan", Json.mapper().valueToTree(s.plan));
        data.put("dryRun", false).put("recoveryOf", recoveryOf);
        try {
            append(s, "accepted", data);
        } catch (RuntimeException e) {
            synchronized (lock) {
                actions.remove(s.id);
            }
            throw e;
        }
        note(recoveryOf, "recovery", Json.mapper().createObjectNode().put("recovery", s.id).put("type", type)
                .put("target", target));
        try {
            queue(queueOf(s)).execute(() -> run(s, false));
        } catch (RejectedExecutionException full) {
            String why = "target " + target + " has " + queueCapacity + " recoveries waiting; try again later";
            end(s, "refused", Json.mapper().createObjectNode().put("reason", why), Map.of(), why);
            return new ActionAnswer(s.id, "refused", null, why);
        }
        return new ActionAnswer(s.id, "accepted", null, null);
    }

    /** What the recover package needs of an action: the incident it belongs to (the action covering a burst). */
    public record Incident(ActionSummary action, Map<String, String> plan, List<ActionSummary> members,
                           List<String> recoveries) {
    }

    /**
     * The incident of action {@code id}: the action that covers it (itself unless coalesced), that action's plan,
     * every request of the burst coalesced into it (the covering one first), and the recoveries started from it.
     */
    public Incident incident(String id) {
        ActionState s = stateOf(id);
        ActionState holder = s.coalescedInto == null ? s : stateOf(s.coalescedInto);
        List<ActionSummary> members = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, String> plan;
        synchronized (lock) {
            members.add(holder.summary());
            plan = Map.copyOf(holder.plan);
            for (ActionState a : actions.values()) {
                if (holder.id.equals(a.coalescedInto)) {
                    members.add(a.summary());
                    seen.add(a.id);
                }
            }
        }
        if (members.size() - 1 < holder.coalesced || !inMemory(holder.id)) {
            ActionHistory.Page older = history.page(Long.MAX_VALUE, x -> holder.id.equals(x.coalescedInto()),
                    seen::contains, holder.acceptedAt, ActionLimits.DEFAULTS.recentActions());
            members.addAll(older.items());
        }
        List<String> recoveries = new ArrayList<>();
        for (ActionDetail.Step step : detail(holder.id).timeline()) {
            if (step.event().equals("recovery")) {
                recoveries.add(step.data().path("recovery").asText());
            }
        }
        return new Incident(members.get(0), plan, members, recoveries);
    }

    /** The plan an action was accepted with (a recovery's is what it will copy, from where, to where). */
    public Map<String, String> plan(String id) {
        ActionState s = stateOf(id);
        synchronized (lock) {
            return Map.copyOf(s.plan);
        }
    }

    /** The plans of the recoveries of {@code type} on {@code target} that have not ended, by id. */
    public Map<String, Map<String, String>> unfinished(String type, String target) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        synchronized (lock) {
            for (ActionState a : actions.values()) {
                if (!a.terminal() && a.type.equals(type) && a.target.equals(target)) {
                    out.put(a.id, Map.copyOf(a.plan));
                }
            }
        }
        return out;
    }

    private boolean inMemory(String id) {
        synchronized (lock) {
            return actions.containsKey(id);
        }
    }

    private ActionState stateOf(String id) {
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
    public void note(String id, String event, JsonNode data) {
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

    /**
     * Target {@code name} was deleted: its coalescing windows go, and its queues stop taking work (what they hold
     * still runs, and ends saying the target is gone); a target made later under the name starts afresh.
     */
    public void targetDeleted(String name) {
        List<ThreadPoolExecutor> gone = new ArrayList<>();
        synchronized (lock) {
            windows.keySet().removeIf(k -> k.startsWith(name + "/"));
            for (String q : List.of(name, name + " (recovery)")) {
                ThreadPoolExecutor e = queues.remove(q);
                if (e != null) {
                    gone.add(e);
                }
            }
        }
        gone.forEach(ThreadPoolExecutor::shutdown);
    }

    /** Queues and windows held now (for tests of what a deleted target leaves behind). */
    int queuesHeld() {
        synchronized (lock) {
            return queues.size();
        }
    }

    /** Recoveries run beside protective actions, never behind them. */
    private static String queueOf(ActionState s) {
        return RECOVERY_TYPES.contains(s.type) ? s.target + " (recovery)" : s.target;
    }

    // ---- running ---------------------------------------------------------------------------------------------

    private ThreadPoolExecutor queue(String target) {
        synchronized (lock) {
            return queues.computeIfAbsent(target, t -> {
                ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(queueCapacity), r -> {
                            Thread th = new Thread(r, "target-" + t);
                            th.setDaemon(true);
                            return th;
                        });
                return e;
            });
        }
    }

    private void run(ActionState s, boolean resuming) {
        if (s.dryRun) {
            throw new IllegalStateException("a dry run reached the runner: " + s.id); // never: dry runs are not queued
        }
        try {
            execute(s, resuming);
        } catch (IllegalStateException e) {
            if (!journal.isClosed() && !Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // Shutting down mid-action: the journal shows it unfinished, so the next start resumes it.
            LOG.info("action {} stopped by shutdown; it resumes at the next start", s.id);
        }
    }

    private void execute(ActionState s, boolean resuming) {
        if (stopping()) {
            return;
        }
        append(s, "started", Json.mapper().createObjectNode());
        synchronized (lock) {
            s.status = "running";
            s.started = true;
            ledger.sync(s, clock.instant());
        }
        Outcome o = runner.run(s, resuming, (event, data) -> append(s, event, data));
        if (stopping()) {
            // Interrupted by the stop (or ended just as it came): the next start resumes it and adopts what it made.
            LOG.info("action {} stopped by shutdown; it resumes at the next start", s.id);
            return;
        }
        end(s, o.status(), o.data(), o.result(), o.error());
        LOG.info("action {} {} on {}: {}", s.id, s.type, s.target, o.status());
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
    private void end(ActionState s, String status, ObjectNode data, Map<String, String> result, String error) {
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
    public void onEnd(java.util.function.Consumer<ActionSummary> listener) {
        this.ended = listener;
    }

    private void append(ActionState s, String event, JsonNode data) {
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
    private void evict() {
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

    // ---- recovery --------------------------------------------------------------------------------------------

    /**
     * Rebuilds state (reading only; call before serving): from the checkpoint plus the records after it, or, when
     * there is no usable checkpoint, from the whole journal (then a checkpoint is written at once, so the next
     * start is quick again).
     */
    public Loaded load() {
        Checkpoint.Body cp = Checkpoint.read(journal);
        long from = 0;
        if (cp != null) {
            synchronized (lock) {
                ledger.restore(cp.targets());
                for (Checkpoint.State st : cp.actions()) {
                    ActionState a = st.toState();
                    if (cp.targets() != null) {
                        TargetLedger.adopt(a);
                    } else {
                        ledger.sync(a, clock.instant());
                    }
                    actions.put(a.id, a);
                    if (!a.dryRun && a.coalescedInto == null && !a.plan.isEmpty() && !RECOVERY_TYPES.contains(a.type)) {
                        admission.started(a.target + "/" + a.scope, a.acceptedAt);
                    }
                }
                for (ActionState a : actions.values()) {
                    linkHolder(a);
                }
                if (cp.targets() == null) {
                    LOG.warn("actions checkpoint from before the Overview's per-target state: the Overview counts the"
                            + " {} actions it holds and those after it; older ones show again once a target acts", actions.size());
                }
                cp.windows().forEach((scope, id) -> {
                    ActionState a = actions.get(id);
                    if (a != null) {
                        windows.put(scope, a);
                    }
                });
                for (Checkpoint.Key k : cp.keys()) {
                    answers.put(new IdempotencyKeys.KeyId(k.hi(), k.lo()), CompletableFuture.completedFuture(k.answer()), k.at());
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
        LOG.info("actions loaded: {} in memory, {} journal records replayed{} in {} ms", actions.size(), replayed[0],
                cp == null ? " (no checkpoint)" : " after the checkpoint", (System.nanoTime() - t0) / 1_000_000);
        if (cp == null || replayed[0] > limits.checkpointEvery()) {
            checkpoint();
        }
        checkpointer.scheduleWithFixedDelay(this::checkpointIfDue, 5, 5, TimeUnit.SECONDS);
        return new Loaded(cp != null, replayed[0], footprint().actions());
    }

    /** What start-up did: whether a checkpoint was used and how many journal records it replayed. */
    public record Loaded(boolean fromCheckpoint, long replayed, int inMemory) {
    }

    /** Writes a checkpoint when enough records were journaled since the last one. */
    private void checkpointIfDue() {
        boolean due;
        synchronized (lock) {
            due = sinceCheckpoint >= limits.checkpointEvery();
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
        synchronized (lock) {
            Journal.End now = journal.end();
            // Records written by appends still in flight may not be applied yet: claim only what is before them
            // (replaying a record twice is harmless: its position is already on the action's timeline).
            end = inFlight.isEmpty() ? now : new Journal.End(inFlight.firstKey(), -1, null);
            // An action still being journaled is not claimed: if its record becomes durable it follows the position.
            states = actions.values().stream().filter(a -> !opening.containsKey(a.id)).map(Checkpoint.State::of).toList();
            answers.settled().forEach((id, e) -> keys.add(new Checkpoint.Key(id.hi(), id.lo(), e.at(), e.answer().join())));
            windows.forEach((scope, a) -> {
                if (!opening.containsKey(a.id)) {
                    w.put(scope, a.id);
                }
            });
            ledgerNow = ledger.snapshot(clock.instant());
            sinceCheckpoint = 0;
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
                journal.archive(end.position(), Duration.ofDays(days));
            }
        } catch (RuntimeException e) {
            LOG.warn("could not archive old journal segments: {}", e.toString());
        }
    }

    /** Resumes, or marks interrupted, every action the journal shows without an outcome. */
    public void resume() {
        List<ActionState> unfinished = new ArrayList<>();
        synchronized (lock) {
            for (ActionState s : actions.values()) {
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
                end(s, "dry-run", Json.mapper().createObjectNode().put("reason", "the app stopped before this dry run "
                        + "was recorded as ended; it stays a dry run: nothing was or will be called"), Map.of(), null);
                continue;
            }
            append(s, "resumed", Json.mapper().createObjectNode().put("reason", "restart found the action unfinished"));
            boolean begun;
            List<Long> positions;
            synchronized (lock) {
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
                if (r.event().equals("existing")) {
                    java.util.Set<String> found = new java.util.HashSet<>();
                    r.data().path("ids").forEach(n -> found.add(n.asText()));
                    existing = found;
                }
            }
            synchronized (lock) {
                s.existing = existing;
            }
            queue(queueOf(s)).execute(() -> run(s, mayHaveAsked));
        }
        if (!unfinished.isEmpty()) {
            LOG.warn("recovered {} unfinished actions from the journal", unfinished.size());
        }
        Map<String, Instant> lost;
        synchronized (lock) {
            lost = new LinkedHashMap<>(orphans);
            orphans.clear();
        }
        lost.forEach((id, at) -> {
            ActionState s = new ActionState(id, "unknown", "unknown", "unknown", null, at, null, false, null, "unrecoverable");
            synchronized (lock) {
                actions.put(id, s);
            }
            String why = "the journal lost this action's accept record (torn or damaged), so what it was asked to do "
                    + "(mode, target, scope) is unknown: it is not run; check the storage system for a copy it may have made";
            end(s, "unrecoverable", Json.mapper().createObjectNode().put("type", s.type).put("target", s.target)
                    .put("scope", s.scope).put("reason", why), Map.of(), why);
            LOG.warn("action {}: {}", id, why);
        });
    }

    private void replayOne(Journal.Written w) {
        JournalRecord r = w.record();
        if (r.action() == null) {
            return;
        }
        synchronized (lock) {
            ActionState s = actions.get(r.action());
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
                actions.put(s.id, s);
                if (s.status.equals("accepted") && !RECOVERY_TYPES.contains(s.type)) {
                    windows.put(s.target + "/" + s.scope, s);
                    if (!s.dryRun) {
                        admission.started(s.target + "/" + s.scope, s.acceptedAt);
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
                    answers.put(IdempotencyKeys.KeyId.of(key), CompletableFuture.completedFuture(new ActionAnswer(s.id,
                            s.dryRun && s.status.equals("accepted") ? "dry-run" : s.status, s.coalescedInto,
                            r.data().path("reason").asText(null))), s.acceptedAt);
                }
                evict();
            } else {
                s.apply(r);
            }
            s.timeline.add(w.position());
            ledger.sync(s, clock.instant());
        }
    }

    /** Links a coalesced request to the action covering it, when that one is known; under the lock. */
    private ActionState linkHolder(ActionState s) {
        if (s.coalescedInto == null) {
            return null;
        }
        ActionState holder = s.holder != null ? s.holder : actions.get(s.coalescedInto);
        if (holder == null) {
            // The covering action may have left the recent window while its window is still open.
            ActionState open = windows.get(s.target + "/" + s.scope);
            holder = open != null && open.id.equals(s.coalescedInto) ? open : null;
        }
        if (holder != null) {
            s.holder = holder;
            coveredBy.put(s.id, holder);
        }
        return holder;
    }

    /** How much the engine holds in memory now (bounded by {@link ActionLimits}). */
    public record Footprint(int actions, int idempotencyKeys, int windows) {
    }

    /** How many times the journal was searched for actions that left memory. */
    long journalSearches() {
        return history.searches();
    }

    public Footprint footprint() {
        synchronized (lock) {
            return new Footprint(actions.size(), answers.size(), windows.size());
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    public ActionDetail detail(String id) {
        ActionState s = stateOf(id);
        ActionSummary summary;
        List<Long> positions;
        synchronized (lock) {
            summary = s.summary();
            positions = List.copyOf(s.timeline);
        }
        List<ActionDetail.Step> steps = new ArrayList<>(positions.size());
        for (long p : positions) {
            JournalRecord r = journal.read(p);
            steps.add(new ActionDetail.Step(r.seq(), r.time(), r.event(), r.data()));
        }
        return new ActionDetail(summary, steps);
    }

    /**
     * Per target, the newest action, the newest that says whether the data is protected, the newest protected copy
     * and failure, and the last hours' counts by status: read from what is kept as actions change, never from the
     * history (the Overview's reads take constant time however long the journal).
     */
    public Map<String, TargetLedger.Entry> targetLedger() {
        synchronized (lock) {
            return ledger.snapshot(clock.instant());
        }
    }

    /** Newest first, filtered; {@code before} is the id of the last row of the previous page. */
    public ActionPage list(String since, String status, String target, String before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "limit must be between 1 and 500");
        }
        Instant from;
        try {
            from = since == null || since.isBlank() ? Instant.MIN : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("since", "since must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
        List<ActionSummary> page = new ArrayList<>();
        String next = null;
        java.util.Set<String> inMemory = new java.util.HashSet<>();
        boolean fromDisk = before != null && before.startsWith("@");
        synchronized (lock) {
            List<ActionState> all = new ArrayList<>(actions.values());
            all.forEach(a -> inMemory.add(a.id));
            boolean skipping = before != null;
            if (fromDisk || (before != null && !actions.containsKey(before))) {
                all = List.of();
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                ActionState s = all.get(i);
                if (skipping) {
                    skipping = !s.id.equals(before);
                    continue;
                }
                if (s.acceptedAt.isBefore(from) || (status != null && !status.equals(s.status))
                        || (target != null && !target.equals(s.target))) {
                    continue;
                }
                if (page.size() == limit) {
                    next = page.get(page.size() - 1).id();
                    break;
                }
                page.add(s.summary());
            }
        }
        java.util.function.Predicate<ActionSummary> keep =
                s -> (status == null || status.equals(s.status())) && (target == null || target.equals(s.target()));
        Instant after = from == Instant.MIN ? null : from;
        if (next == null && page.size() < limit) {
            // The rest of the history is on disk: outcome records carry each action's summary.
            long start = HistoryCursor.start(before, fromDisk, inMemory, history, journal);
            ActionHistory.Page older = history.page(start, keep, inMemory::contains, after, limit - page.size());
            page.addAll(older.items());
            if (older.next() >= 0) {
                next = "@" + older.next();
            }
        } else if (next == null && !page.isEmpty()
                && !history.page(Long.MAX_VALUE, keep, inMemory::contains, after, 1).items().isEmpty()) {
            // The page ended exactly at the oldest action in memory: older ones are on disk, so there is a next page.
            next = page.get(page.size() - 1).id();
        }
        return new ActionPage(page, next);
    }

    /**
     * Checks the journal's seals and chain; without {@code fresh}, full segments unchanged since the last check are
     * not read again (an edit changes a segment's size or time, so it is read again and the bad line found).
     */
    public ChainReport verifyJournal(boolean fresh) {
        return journal.verify(fresh);
    }

    /**
     * The full check the app runs once at start, off the request path (health shows "verifying" meanwhile), then
     * a check every minute that re-reads only what changed, so pages can show the last result without waiting.
     */
    public void verifyInBackground() {
        java.util.concurrent.ScheduledExecutorService checks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-verify");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        checks.execute(() -> {
            long t0 = System.nanoTime();
            ChainReport r = journal.verify(true);
            LOG.info("journal check at start: {} ({} records, {} ms)", r.intact() ? "intact" : "DAMAGED: " + r.reason(),
                    r.records(), (System.nanoTime() - t0) / 1_000_000);
        });
        checks.scheduleWithFixedDelay(() -> {
            if (!journal.isClosed()) {
                journal.verify(false);
            }
        }, 60, 60, TimeUnit.SECONDS);
        synchronized (lock) {
            verifier = checks;
        }
    }

    private java.util.concurrent.ScheduledExecutorService verifier;

    /** The journal's state as last checked (never waits for a check): the Overview shows it. */
    public safeguard.journal.JournalStatus journalStatus() {
        return journal.status();
    }

    /** How long {@link #close()} waits for interrupted runs to leave their target queues, all queues together. */
    static final java.time.Duration STOP_WAIT = java.time.Duration.ofMillis(1_500);

    /**
     * Stops at once: stopping is not an outcome. Running actions are interrupted and record nothing more than
     * what they had journaled; queued ones do not start. The journal shows all of them unfinished, so the next
     * start resumes them exactly as after a crash (a run that may have asked looks before it asks again). One
     * deadline ({@link #STOP_WAIT}) covers every target's queue, so a stop stays inside QRadar's 10 s however
     * many targets are busy.
     */
    @Override
    public void close() {
        List<ThreadPoolExecutor> all;
        synchronized (lock) {
            stopping = true;
            all = new ArrayList<>(queues.values());
        }
        checkpointer.shutdownNow();
        synchronized (lock) {
            if (verifier != null) {
                verifier.shutdownNow();
            }
        }
        int dropped = 0;
        for (ThreadPoolExecutor e : all) {
            dropped += e.shutdownNow().size();
        }
        long deadline = System.nanoTime() + STOP_WAIT.toNanos();
        boolean stopped = true;
        for (ThreadPoolExecutor e : all) {
            try {
                stopped &= e.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                stopped = false;
                break;
            }
        }
        if (!journal.isClosed()) {
            // The next start then replays little. (With an action cut short, its own records follow the
            // checkpoint's position only if written later; the in-flight bound keeps that exact.)
            checkpoint();
        }
        if (!stopped || dropped > 0) {
            LOG.info("stopped with actions unfinished ({} not started); they resume at the next start", dropped);
        }
    }

    /** Set once by {@link #close()}: from then on a run's end is not recorded (the next start resumes it). */
    private boolean stopping;

    private boolean stopping() {
        synchronized (lock) {
            return stopping;
        }
    }

    // ---- standing (the custom action's wait, coalesced answers) ----------------------------------------------

    /** Where action {@code id} stands; for a coalesced request, where the action covering it stands. */
    public ActionStanding standing(String id) {
        ActionState s;
        ActionState covering;
        synchronized (lock) {
            ActionState holder = coveredBy.get(id);
            if (holder != null) {
                return ActionStanding.of(id, holder);
            }
            s = actions.get(id);
            if (s == null) {
                // The action holding an open window, however long ago it left the recent window (a few per target).
                for (ActionState open : windows.values()) {
                    if (open.id.equals(id)) {
                        return ActionStanding.of(open, open);
                    }
                }
            }
            covering = s == null || s.coalescedInto == null ? null : actions.get(s.coalescedInto);
            if (s != null && (s.coalescedInto == null || covering != null)) {
                return ActionStanding.of(s, covering == null ? s : covering);
            }
        }
        // Left memory (the recent window): read from the journal, as detail() does.
        s = s != null ? s : history.find(id);
        if (s == null) {
            throw new NotFoundException("no action " + id);
        }
        covering = s.coalescedInto == null ? null : history.find(s.coalescedInto);
        return ActionStanding.of(s, covering == null ? s : covering);
    }
}
