package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.journal.ChainReport;
import safeguard.journal.Journal;
import safeguard.qradar.QradarClient;
import safeguard.settings.Settings;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;

/**
 * Turns rule firings into storage work. Every request is journaled (durably) before it is answered; a burst for
 * the same target and scope inside the target's interval is coalesced into one action; the same idempotency key
 * gets the same answer; each target runs one job at a time from a bounded queue; dry-run targets are never
 * called. After a crash, actions without an outcome are resumed or marked interrupted.
 *
 * <p>The one composition point of the engine's parts, which share {@link ActionMemory}: admission
 * ({@link Intake}), the target queues ({@link TargetQueues}), recovery of state ({@link StateRecovery}), reading
 * ({@link ActionReader}) and the journal's checks ({@link JournalChecks}).
 */
public final class ActionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
    /** Admin-started restores (the recover package plans them): they bring data back; every other type protects. */
    public static final java.util.Set<String> RECOVERY_TYPES = java.util.Set.of("scale-restore", "csm-recover",
            "cdm-cleanroom");

    private final Journal journal;
    private final ActionMemory memory;
    private final TargetQueues queues;
    private final Intake intake;
    private final StateRecovery recovery;
    private final ActionReader reader;
    private final JournalChecks checks;

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
        this.journal = journal;
        this.memory = new ActionMemory(journal, clock, limits);
        this.queues = new TargetQueues(memory, new ActionRunner(connector), queueCapacity);
        ActionPlans plans = new ActionPlans(targets, new ScaleLayouts(ScaleLayouts.of(connector), clock));
        this.intake = new Intake(memory, queues, plans, settings);
        this.recovery = new StateRecovery(memory, queues, settings);
        this.reader = new ActionReader(memory);
        this.checks = new JournalChecks(journal, memory.lock);
    }

    // ---- admission -------------------------------------------------------------------------------------------

    /**
     * Decides, journals durably, answers. Storage work runs later, in the target's queue. A new action's window
     * and idempotency answer count only once its record is durable: a request that finds a window whose holder is
     * still being journaled waits for it, and decides again if that write failed (the window is gone then).
     */
    public ActionAnswer submit(ActionRequest req) {
        return intake.submit(req);
    }

    /**
     * Starts a restore an admin asked for ({@code plan} fixed and checked by the recover package): journaled and
     * resumed like any action, never coalesced, and run in the target's recovery queue, so a long copy never
     * delays a protective snapshot. The incident's own timeline gets a record naming the recovery.
     */
    public ActionAnswer startRecovery(String type, String target, Map<String, String> plan, String recoveryOf) {
        return intake.startRecovery(type, target, plan, recoveryOf);
    }

    /** Records a step of an action that is not part of its run (ending a clean-room restore) on its timeline. */
    public void note(String id, String event, JsonNode data) {
        memory.note(id, event, data);
    }

    /**
     * Told of every action's end (on the target's thread: it must only queue work). Offense notes use it, on
     * their own queue, so a slow console never delays the next snapshot.
     */
    public void onEnd(java.util.function.Consumer<ActionSummary> listener) {
        memory.onEnd(listener);
    }

    // ---- target queues ---------------------------------------------------------------------------------------

    /**
     * Target {@code name} was deleted: its coalescing windows go, and its queues stop taking work (what they hold
     * still runs, and ends saying the target is gone); a target made later under the name starts afresh.
     */
    public void targetDeleted(String name) {
        queues.targetDeleted(name);
    }

    /** Queues and windows held now (for tests of what a deleted target leaves behind). */
    int queuesHeld() {
        return queues.queuesHeld();
    }

    // ---- recovery of state -----------------------------------------------------------------------------------

    /**
     * Rebuilds state (reading only; call before serving): from the checkpoint plus the records after it, or, when
     * there is no usable checkpoint, from the whole journal (then a checkpoint is written at once, so the next
     * start is quick again).
     */
    public Loaded load() {
        return recovery.load();
    }

    /** What start-up did: whether a checkpoint was used and how many journal records it replayed. */
    public record Loaded(boolean fromCheckpoint, long replayed, int inMemory) {
    }

    /** Writes the in-memory state with the journal position that state reflects. */
    void checkpoint() {
        recovery.checkpoint();
    }

    /** Resumes, or marks interrupted, every action the journal shows without an outcome. */
    public void resume() {
        recovery.resume();
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    /** What the recover package needs of an action: the incident it belongs to (the action covering a burst). */
    public record Incident(ActionSummary action, Map<String, String> plan, List<ActionSummary> members,
                           List<String> recoveries) {
    }

    /**
     * The incident of action {@code id}: the action that covers it (itself unless coalesced), that action's plan,
     * every request of the burst coalesced into it (the covering one first), and the recoveries started from it.
     */
    public Incident incident(String id) {
        return reader.incident(id);
    }

    /** The plan an action was accepted with (a recovery's is what it will copy, from where, to where). */
    public Map<String, String> plan(String id) {
        return reader.plan(id);
    }

    /** The plans of the recoveries of {@code type} on {@code target} that have not ended, by id. */
    public Map<String, Map<String, String>> unfinished(String type, String target) {
        return reader.unfinished(type, target);
    }

    /** How much the engine holds in memory now (bounded by {@link ActionLimits}). */
    public record Footprint(int actions, int idempotencyKeys, int windows) {
    }

    /** How many times the journal was searched for actions that left memory. */
    long journalSearches() {
        return memory.history.searches();
    }

    public Footprint footprint() {
        return memory.footprint();
    }

    public ActionDetail detail(String id) {
        return reader.detail(id);
    }

    /**
     * Per target, the newest action, the newest that says whether the data is protected, the newest protected copy
     * and failure, and the last hours' counts by status: read from what is kept as actions change, never from the
     * history (the Overview's reads take constant time however long the journal).
     */
    public Map<String, TargetLedger.Entry> targetLedger() {
        return reader.targetLedger();
    }

    /** Newest first, filtered; {@code before} is the id of the last row of the previous page. */
    public ActionPage list(String since, String status, String target, String before, int limit) {
        return reader.list(since, status, target, before, limit);
    }

    /** Where action {@code id} stands; for a coalesced request, where the action covering it stands. */
    public ActionStanding standing(String id) {
        return reader.standing(id);
    }

    // ---- the journal's checks --------------------------------------------------------------------------------

    /**
     * Checks the journal's seals and chain; without {@code fresh}, full segments unchanged since the last check are
     * not read again (an edit changes a segment's size or time, so it is read again and the bad line found).
     */
    public ChainReport verifyJournal(boolean fresh) {
        return checks.verify(fresh);
    }

    /**
     * The full check the app runs once at start, off the request path (health shows "verifying" meanwhile), then
     * a check every minute that re-reads only what changed, so pages can show the last result without waiting.
     */
    public void verifyInBackground() {
        checks.inBackground();
    }

    /** The journal's state as last checked (never waits for a check): the Overview shows it. */
    public safeguard.journal.JournalStatus journalStatus() {
        return checks.status();
    }

    // ---- stopping --------------------------------------------------------------------------------------------

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
        List<ThreadPoolExecutor> all = queues.stopTaking();
        recovery.stopCheckpoints();
        checks.stop();
        TargetQueues.Stopped s = TargetQueues.stop(all);
        if (!journal.isClosed()) {
            // The next start then replays little. (With an action cut short, its own records follow the
            // checkpoint's position only if written later; the in-flight bound keeps that exact.)
            recovery.checkpoint();
        }
        if (!s.stopped() || s.dropped() > 0) {
            LOG.info("stopped with actions unfinished ({} not started); they resume at the next start", s.dropped());
        }
    }
}
