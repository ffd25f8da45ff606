package safeguard.content;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.dsm.Dsm;
import safeguard.dsm.ReferenceSets;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.Target;

/**
 * Provisions the app's QRadar content in the background and keeps its status. A failure (QRadar down, 401 before
 * the token works, 409, 5xx) is retried with growing pauses and never stops the app from serving.
 */
public final class ContentService {
    private static final Logger LOG = LoggerFactory.getLogger(ContentService.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofMinutes(15);

    private final ContentProvisioner provisioner;
    private final QradarClient qradar;
    private final String appUrl;
    private final javax.net.ssl.SSLContext consoleTrust;
    private final ActionCaller caller;
    private volatile String consolePin = ActionCaller.NONE;
    private UninstallResult lastUninstall;
    /** Reconciled again this often when all is well: the custom action's service is renewed before it expires. */
    static final Duration RECHECK = Duration.ofHours(6);
    private final boolean insideQradar;
    private final Clock clock;
    private final Duration firstRetry;
    private ScheduledExecutorService scheduler;

    private String state;
    private List<ItemStatus> items = List.of();
    private Instant lastRun;
    private String lastError;
    private Instant nextAttempt;
    private Duration backoff;

    /**
     * {@code qradar} is null outside QRadar or before the app is authorised: nothing is provisioned then.
     * {@code appUrl} (the app through the console's proxy) and {@code targets} drive the custom actions.
     */
    public ContentService(Store store, QradarClient qradar, boolean insideQradar, Clock clock, Duration firstRetry,
                          String appUrl, java.util.function.Supplier<List<Target>> targets,
                          java.util.function.Supplier<Settings> settings, javax.net.ssl.SSLContext consoleTrust) {
        this.qradar = qradar;
        this.appUrl = appUrl;
        this.consoleTrust = consoleTrust;
        this.caller = qradar == null || appUrl == null ? null
                : new ActionCaller(store, qradar, clock, settings, () -> consolePin);
        this.provisioner = qradar == null ? null
                : new ContentProvisioner(qradar, Dsm.bundled(), ReferenceSets.bundled(), ContentLedger.load(store),
                        appUrl, () -> specs(targets.get()), () -> settings.get().logSourceHosts(), caller);
        if (provisioner != null) {
            provisioner.stopWhen(this::isStopping);
        }
        this.insideQradar = insideQradar;
        this.clock = clock;
        this.firstRetry = firstRetry;
        this.backoff = firstRetry;
        this.state = provisioner != null ? "pending" : insideQradar ? "awaiting-authorization" : "not-in-qradar";
    }

    public ContentService(Store store, QradarClient qradar, boolean insideQradar, Clock clock, Duration firstRetry) {
        this(store, qradar, insideQradar, clock, firstRetry, null, List::of, () -> Settings.DEFAULTS, null);
    }

    public static ContentService of(Store store, QradarClient qradar, boolean insideQradar, Clock clock, String appUrl,
                                    java.util.function.Supplier<List<Target>> targets,
                                    java.util.function.Supplier<Settings> settings, javax.net.ssl.SSLContext consoleTrust) {
        return new ContentService(store, qradar, insideQradar, clock, FIRST_RETRY, appUrl, targets, settings, consoleTrust);
    }

    /**
     * The console certificate's fingerprint, read again before each reconcile (a renewed certificate reaches the
     * custom actions by the next run); {@link ActionCaller#NONE} when it cannot be read, so the script falls back
     * to its host's trust store.
     */
    private void refreshPin() {
        if (appUrl == null || consoleTrust == null) {
            return;
        }
        try {
            consolePin = ConsolePin.of(appUrl, consoleTrust);
        } catch (java.io.IOException | RuntimeException e) {
            LOG.warn("cannot read the console's certificate at {} for the custom action to pin: {}", appUrl, e.toString());
        }
    }

    /** A new authorized service for the custom action, put into every action, the old one deleted. */
    public int rotateActionCaller() {
        if (provisioner == null) {
            throw new safeguard.http.UpstreamException(0, "the app is not authorised with QRadar yet", null);
        }
        refreshPin();
        try {
            return provisioner.rotateCaller();
        } catch (QradarException e) {
            throw new safeguard.http.UpstreamException(e.status(), "QRadar refused: " + e.getMessage(), null);
        }
    }

    /** The custom action's authorized service as QRadar has it, and the roles and profiles an admin may choose. */
    public ActionCallerView actionCaller() {
        if (caller == null) {
            return new ActionCallerView(null, null, null, null, null, null, List.of(), List.of(), null);
        }
        try {
            var s = caller.describe();
            var roles = qradar.getAll("/config/access/user_roles", java.util.Map.of("fields", "id,name")).stream()
                    .map(r -> new ActionCallerView.Choice(r.path("id").asLong(), r.path("name").asText())).toList();
            var profiles = qradar.getAll("/config/access/security_profiles", java.util.Map.of("fields", "id,name")).stream()
                    .map(r -> new ActionCallerView.Choice(r.path("id").asLong(), r.path("name").asText())).toList();
            return s == null ? new ActionCallerView(null, null, null, null, null, null, roles, profiles, null)
                    : new ActionCallerView(s.path("label").asText(), s.path("user_role_id").asLong(),
                            s.path("security_profile_id").asLong(), millis(s.path("creation_date")),
                            millis(s.path("expiration_date")), millis(s.path("last_used_date")), roles, profiles, null);
        } catch (QradarException e) {
            return new ActionCallerView(null, null, null, null, null, null, List.of(), List.of(), e.getMessage());
        }
    }

    private static String millis(com.fasterxml.jackson.databind.JsonNode n) {
        return n != null && n.canConvertToLong() ? Instant.ofEpochMilli(n.asLong()).toString() : null;
    }

    private static List<CustomActions.Spec> specs(List<Target> targets) {
        return targets.stream().map(t -> new CustomActions.Spec(t.name(), switch (t.kind()) {
            case Target.SCALE -> "scale-snapshot";
            case Target.CSM -> "csm-backup";
            default -> "cdm-restore";
        })).toList();
    }

    /**
     * Reconciles again soon (a target was added or removed), without waiting for the retry schedule: the one
     * pending reconcile is brought forward, never a second chain started.
     */
    public synchronized void reconcileSoon() {
        schedule(Duration.ZERO);
    }

    /**
     * One reconcile now, on the provisioning thread (never beside a scheduled one), waiting at most {@code timeout}:
     * what readiness uses to restore a custom action, script or service someone removed or altered. Outside QRadar
     * or before authorisation (nothing to provision) it answers the status as it is.
     */
    public ContentStatus reconcileNow(Duration timeout) {
        java.util.concurrent.Future<?> run;
        synchronized (this) {
            if (scheduler == null) {
                return status();
            }
            run = scheduler.submit(this::attempt);
        }
        try {
            run.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.warn("a reconcile asked for by readiness did not end in {} s: {}", timeout.toSeconds(), e.toString());
        }
        return status();
    }

    /** Whether the custom actions carry an action token (one was revealed or rotated), not the placeholder. */
    public boolean actionTokenArmed() {
        return caller != null && caller.state().sealedActionToken() != null;
    }

    /** Arms the QRadar custom actions with a token an admin was just shown; best effort, returns how many. */
    public int pushActionToken(String token) {
        if (provisioner == null) {
            return 0;
        }
        try {
            return provisioner.pushActionToken(token);
        } catch (QradarException e) {
            LOG.warn("could not put the new action token into the QRadar custom actions: {}", e.getMessage());
            return 0;
        }
    }

    /** Starts reconciling in the background (no-op when there is nothing to provision). */
    public synchronized void start() {
        if (provisioner == null || scheduler != null) {
            return;
        }
        java.util.concurrent.ScheduledThreadPoolExecutor one = new java.util.concurrent.ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "content-provisioning");
            t.setDaemon(true);
            return t;
        });
        one.setRemoveOnCancelPolicy(true);
        // A stop drops the pending reconcile instead of running it.
        one.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
        stopping = false;
        scheduler = one;
        schedule(Duration.ZERO);
    }

    /**
     * How long a stop waits, from {@link #stopping()}, for a running reconcile to finish the item it is writing.
     * It overlaps Jetty's graceful stop (App.STOP_TIMEOUT_MS, as long), so the shutdown stays inside QRadar's 10 s.
     */
    public static final Duration STOP_WAIT = Duration.ofSeconds(3);

    /**
     * First half of a stop, without waiting: the pending reconcile is cancelled, none is scheduled again, and a
     * running one ends after the item it is writing. Nothing is interrupted yet: an interrupt in the middle of a
     * ledger write would lose the record of something the app created in QRadar (uninstall would leave it).
     */
    public synchronized void stopping() {
        stopping = true;
        if (scheduler != null) {
            if (next != null) {
                next.cancel(false);
                next = null;
            }
            scheduler.shutdown();
            stopped = scheduler;
            stopDeadline = System.nanoTime() + STOP_WAIT.toNanos();
            scheduler = null;
        }
    }

    /**
     * Second half: waits, until {@link #STOP_WAIT} after {@link #stopping()}, for a running reconcile to end, so
     * nothing writes to the store once the app has stopped. A reconcile still running then (a console that does
     * not answer) is interrupted. Whether provisioning had ended within the wait.
     */
    public boolean awaitStopped() {
        java.util.concurrent.ExecutorService last;
        long deadline;
        synchronized (this) {
            last = stopped;
            deadline = stopDeadline;
            stopped = null;
        }
        if (last == null) {
            return true;
        }
        try {
            if (last.awaitTermination(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS)) {
                return true;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        last.shutdownNow();
        LOG.warn("a QRadar content reconcile was still running {} s after the stop began; it was interrupted",
                STOP_WAIT.toSeconds());
        return false;
    }

    /** Both halves: what uninstall and a lone service use. */
    public void stop() {
        stopping();
        awaitStopped();
    }

    private boolean stopping;
    private java.util.concurrent.ExecutorService stopped;
    private long stopDeadline;

    private synchronized boolean isStopping() {
        return stopping;
    }

    /** The one pending reconcile (null while one runs: it schedules the next itself). */
    private java.util.concurrent.ScheduledFuture<?> next;

    /** How many reconciles are waiting to run (one at most). */
    synchronized int pending() {
        return scheduler == null ? 0 : ((java.util.concurrent.ScheduledThreadPoolExecutor) scheduler).getQueue().size();
    }

    /** Runs one reconcile; whatever it throws, the next one is scheduled (re-checking never silently ends). */
    private void run() {
        synchronized (this) {
            next = null;
        }
        try {
            attempt();
        } catch (RuntimeException | Error e) {
            Duration wait;
            synchronized (this) {
                lastRun = clock.instant();
                lastError = "unexpected: " + e;
                state = "error";
                wait = backoff;
                nextAttempt = clock.instant().plus(wait);
            }
            LOG.error("QRadar content reconcile failed unexpectedly; retrying in {} s", wait.toSeconds(), e);
            schedule(wait);
            if (e instanceof Error err) {
                throw err;
            }
        }
    }

    /** One reconcile; on failure, schedules the next one with exponential backoff up to {@link #MAX_RETRY}. */
    void attempt() {
        if (isStopping()) {
            return; // one readiness asked for before the stop: it would write after it
        }
        List<ItemStatus> report = new java.util.ArrayList<>();
        refreshPin();
        try {
            provisioner.reconcile(report);
            boolean drifted = report.stream().anyMatch(i -> i.state().equals("drifted"));
            long created = report.stream().filter(i -> !i.state().equals("present") && !i.state().equals("drifted")).count();
            synchronized (this) {
                items = report;
                lastRun = clock.instant();
                lastError = null;
                nextAttempt = null;
                backoff = firstRetry;
                state = drifted ? "drifted" : "installed";
            }
            LOG.info("QRadar content reconciled: {} items, {} written", report.size(), created);
            schedule(RECHECK);
        } catch (java.util.concurrent.CancellationException e) {
            synchronized (this) {
                items = withMissing(report);
            }
            LOG.info("QRadar content reconcile stopped with the app after {} items; the next start goes on",
                    report.size());
        } catch (QradarException | java.io.UncheckedIOException e) {
            Duration wait;
            synchronized (this) {
                items = withMissing(report);
                lastRun = clock.instant();
                lastError = e.getMessage();
                state = "error";
                wait = backoff;
                nextAttempt = clock.instant().plus(wait);
                backoff = backoff.multipliedBy(2).compareTo(MAX_RETRY) > 0 ? MAX_RETRY : backoff.multipliedBy(2);
            }
            LOG.warn("QRadar content provisioning failed, retrying in {} s: {}", wait.toSeconds(), e.getMessage());
            schedule(wait);
        }
    }

    /** What the failed run got through, then everything it did not reach, marked missing. */
    private List<ItemStatus> withMissing(List<ItemStatus> partial) {
        java.util.Set<String> seen = new java.util.HashSet<>();
        partial.forEach(i -> seen.add(i.kind() + "/" + i.name()));
        List<ItemStatus> all = new java.util.ArrayList<>(partial);
        for (ItemStatus want : provisioner.expected()) {
            if (!seen.contains(want.kind() + "/" + want.name())) {
                all.add(want);
            }
        }
        return all;
    }

    /** Sets the one pending reconcile to run after {@code wait}, unless one is due sooner already. */
    private synchronized void schedule(Duration wait) {
        if (scheduler == null) {
            return;
        }
        if (next != null) {
            if (next.getDelay(TimeUnit.MILLISECONDS) <= wait.toMillis()) {
                return;
            }
            next.cancel(false);
        }
        next = scheduler.schedule(this::run, wait.toMillis(), TimeUnit.MILLISECONDS);
    }

    public synchronized ContentStatus status() {
        return new ContentStatus(state, items, lastRun == null ? null : lastRun.toString(), lastError,
                nextAttempt == null ? null : nextAttempt.toString(), manualSteps(),
                qradar == null ? null : qradar.apiVersion(), qradar != null && qradar.deprecatedSeen(), lastUninstall);
    }

    private List<String> manualSteps() {
        if (!insideQradar) {
            return List.of();
        }
        // No documented REST endpoint writes system-property overrides (they live in a log source extension).
        return List.of("DSM Editor → IBM Storage Scale File Audit → Event ID: override with the regex in "
                + "dsm/ibm-storage-scale-file-audit.json (eventId); Event Category: override with its eventCategory "
                + "regex and format string FileAudit. See the README, 'Deploying the DSM'.");
    }

    public UninstallResult uninstall() {
        if (provisioner == null) {
            return new UninstallResult(List.of(), List.of(), List.of());
        }
        stop();
        UninstallResult result = provisioner.uninstall();
        synchronized (this) {
            lastUninstall = result;
            state = result.failed().isEmpty() ? "uninstalled" : "error";
        }
        LOG.info("uninstall hook: removed {}, failed {}, left in QRadar (no API removes them) {}",
                result.removed().size(), result.failed().size(), result.left().size());
        return result;
    }
}
