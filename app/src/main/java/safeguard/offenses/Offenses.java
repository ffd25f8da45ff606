package safeguard.offenses;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import java.util.function.Supplier;
import safeguard.actions.ActionAnswer;
import safeguard.actions.ActionRequest;
import safeguard.actions.ActionSummary;
import safeguard.qradar.QradarClient;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.TargetService;

/**
 * Offense-driven protection, one composition point: the rules an admin can pick, the check of offense triggers,
 * the poller and its schedule, and the notes written back onto offenses. Works wherever the app may read
 * offenses (QRadar on Cloud included), with or without custom actions.
 */
public final class Offenses implements AutoCloseable {
    private final QradarClient qradar;
    private final Store store;
    private final TargetService targets;
    private final Clock clock;
    private final Rules rules;
    private final OffenseTriggers triggers;
    private OffenseNotes notes;
    private OffensePoller poller;
    private Supplier<Settings> settings;
    private Function<String, List<ActionSummary>> members = id -> List.of();
    private ScheduledExecutorService schedule;

    /** {@code qradar} is null outside QRadar or before the app is authorised: then offense triggers are refused. */
    public Offenses(QradarClient qradar, Store store, TargetService targets, Clock clock) {
        this.qradar = qradar;
        this.store = store;
        this.targets = targets;
        this.clock = clock;
        this.rules = qradar == null ? null : new Rules(qradar, clock);
        this.triggers = new OffenseTriggers(rules, targets);
    }

    /**
     * Connects the engine: {@code submit} accepts an action, {@code lookup} says where one stands (null when
     * unknown), {@code timeline} records a step on one. Call before the engine resumes unfinished actions.
     */
    public void attach(Supplier<Settings> settings, Function<ActionRequest, ActionAnswer> submit,
                       Function<String, ActionSummary> lookup, BiConsumer<String, JsonNode> timeline) {
        attach(settings, submit, lookup, timeline, id -> List.of());
    }

    /** As above; {@code members} lists the requests coalesced into an action (their offenses get its note too). */
    public void attach(Supplier<Settings> settings, Function<ActionRequest, ActionAnswer> submit,
                       Function<String, ActionSummary> lookup, BiConsumer<String, JsonNode> timeline,
                       Function<String, List<ActionSummary>> members) {
        this.members = members;
        this.settings = settings;
        this.notes = new OffenseNotes(qradar, store, lookup, timeline, clock);
        this.poller = qradar == null ? null
                : new OffensePoller(qradar, store, settings, rules, targets, submit, notes, clock);
    }

    /** A settings change: a 400 naming the offense trigger that names no enabled rule or no target. */
    public void check(Settings change) {
        triggers.check(change);
    }

    /**
     * The saved offense triggers that no longer name an enabled rule or an existing target, one sentence each
     * (empty when all is well, or when there are none): for readiness checks.
     */
    public List<String> triggerProblems() {
        return triggers.problems(settings.get().offenseTriggers());
    }

    /** An action ended: its offense (if it names one) and the offenses it answers get their note. */
    public void ended(ActionSummary a) {
        notes.ended(a, members);
    }

    /** The rules an admin can choose from (id, name, enabled), as QRadar lists them. */
    public List<QradarRule> rules() {
        if (rules == null) {
            throw new safeguard.http.UpstreamException(0,
                    "the app cannot read QRadar's rules: it is not inside QRadar or not authorised yet", null);
        }
        return rules.list();
    }

    /** Where offense polling stands, and how many notes wait (for health and the tab). */
    public record Standing(PollerStatus poller, OffenseNotes.Status notes) {
    }

    public Standing standing() {
        PollerStatus p = poller == null
                ? new PollerStatus("off", "not inside QRadar, or not authorised yet", null, null, 0, null)
                : poller.status();
        return new Standing(p, notes.status());
    }

    /** Polls now (an admin's "check now"; tests): what the poll read and started. */
    public PollResult pollNow() {
        if (poller == null) {
            throw new safeguard.http.UpstreamException(0,
                    "the app cannot read QRadar's offenses: it is not inside QRadar or not authorised yet", null);
        }
        return poller.poll();
    }

    /** Starts the note writer and the poll schedule (every offensePollSeconds, longer while QRadar refuses). */
    public void start() {
        notes.start();
        if (poller == null) {
            return;
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "offense-poller");
            t.setDaemon(true);
            return t;
        });
        schedule.schedule(this::tick, poller.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Saved settings may have added triggers: the first poll then takes its bookmark at once. */
    public void settingsChanged() {
        ScheduledExecutorService s = schedule;
        if (s != null && !s.isShutdown()) {
            s.execute(poller::poll);
        }
    }

    private void tick() {
        try {
            poller.poll();
        } finally {
            if (!schedule.isShutdown()) {
                schedule.schedule(this::tick, poller.nextDelay().toMillis(), TimeUnit.MILLISECONDS);
            }
        }
    }

    @Override
    public void close() {
        if (schedule != null) {
            schedule.shutdownNow();
        }
        if (notes != null) {
            notes.close();
        }
    }
}
