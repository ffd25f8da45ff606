package safeguard.readiness;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.content.ContentService;
import safeguard.journal.Journal;
import safeguard.qradar.QradarClient;
import safeguard.settings.Settings;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;

/**
 * Knows before an attack whether protection would work: runs the checks on a schedule (all every 15 minutes, the
 * audit feed every minute; drills that are due just before), after any change to targets or settings, and on
 * request; journals the state when it
 * changes, and writes a change to at-risk to the app's log as one line a QRadar log source can pick up.
 */
public final class ReadinessService {
    private static final Logger LOG = LoggerFactory.getLogger(ReadinessService.class);
    /** Its own logger, so the line can be routed or matched on its own. */
    private static final Logger ALERT = LoggerFactory.getLogger("safeguard.readiness.alert");
    public static final Duration EVERY = Duration.ofMinutes(15);
    public static final Duration FEED_EVERY = Duration.ofMinutes(1);
    static final Duration STOP_WAIT = Duration.ofSeconds(2);

    private final TargetChecks targets;
    private final QradarChecks qradar;
    private final AuditFeed feed;
    private final Drills drills;
    private final Journal journal;
    private final Clock clock;
    private final Object running = new Object();
    private List<Check> full = List.of();
    private List<Check> feedChecks = List.of();
    private volatile Readiness last;
    private ScheduledExecutorService scheduler;

    ReadinessService(TargetChecks targets, QradarChecks qradar, AuditFeed feed, Drills drills, Journal journal,
                     Clock clock) {
        this.drills = drills;
        this.targets = targets;
        this.qradar = qradar;
        this.feed = feed;
        this.journal = journal;
        this.clock = clock;
    }

    /** {@code qradar} null outside QRadar or before the app is authorised. */
    public static ReadinessService of(TargetService targets, Connector connector, ContentService content,
                                      QradarClient qradar, Supplier<Settings> settings, boolean insideQradar,
                                      Drills drills, Journal journal, Clock clock,
                                      Supplier<List<String>> triggerProblems) {
        return new ReadinessService(new TargetChecks(targets, connector),
                new QradarChecks(content, qradar, targets::all, settings, insideQradar, clock, triggerProblems),
                new AuditFeed(qradar, settings, targets::all, insideQradar, clock), drills, journal, clock);
    }

    /** Every check, now. */
    public Readiness run() {
        synchronized (running) {
            List<Check> f = new ArrayList<>(targets.run());
            f.addAll(qradar.run());
            f.addAll(drills.checks());
            full = f;
            feedChecks = feed.run();
            return publish();
        }
    }

    /** The audit feed again, with the other checks as last run. */
    public Readiness runFeed() {
        synchronized (running) {
            feedChecks = feed.run();
            return publish();
        }
    }

    /** The last result; the first call runs the checks when none ran yet. */
    public Readiness current() {
        Readiness r = last;
        return r != null ? r : run();
    }

    /** For the health route: never waits for a run. */
    public Readiness.Summary summary() {
        Readiness r = last;
        return r == null ? Readiness.Summary.PENDING : r.summary();
    }

    /** After a change to targets or settings: all checks again, in the background (done when the future is). */
    public synchronized java.util.concurrent.Future<?> runSoon() {
        if (scheduler == null) {
            return java.util.concurrent.CompletableFuture.completedFuture(null);
        }
        return scheduler.submit(this::quietly);
    }

    public synchronized void start() {
        if (scheduler != null) {
            return;
        }
        scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "readiness");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(() -> {
            try {
                drills.runDue();
            } catch (RuntimeException e) {
                LOG.warn("a drill could not run: {}", e.toString());
            }
            quietly();
        }, 0, EVERY.toSeconds(), TimeUnit.SECONDS);
        scheduler.scheduleWithFixedDelay(() -> {
            if (last != null) {
                try {
                    runFeed();
                } catch (RuntimeException e) {
                    LOG.warn("the audit feed check failed: {}", e.toString());
                }
            }
        }, FEED_EVERY.toSeconds(), FEED_EVERY.toSeconds(), TimeUnit.SECONDS);
    }

    /**
     * Stops the schedule and waits a little for a run in progress, which may still journal a change of state: the
     * journal closes after this. A run stuck on an unreachable system is not waited for past {@link #STOP_WAIT}
     * (its late change is then only logged: the journal refuses writes once closed).
     */
    public void stop() {
        ScheduledExecutorService s;
        synchronized (this) {
            s = scheduler;
            scheduler = null;
        }
        if (s == null) {
            return;
        }
        s.shutdownNow();
        try {
            if (!s.awaitTermination(STOP_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                LOG.warn("a readiness run was still going at stop; it was left behind");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void quietly() {
        try {
            run();
        } catch (RuntimeException e) {
            LOG.warn("the readiness checks failed: {}", e.toString());
        }
    }

    private Readiness publish() {
        List<Check> all = new ArrayList<>(full);
        all.addAll(feedChecks);
        Readiness previous = last;
        Readiness now = Readiness.of(all, clock.instant().toString());
        last = now;
        if (previous == null || !previous.state().equals(now.state())) {
            changed(previous == null ? null : previous.state(), now);
        }
        return now;
    }

    private void changed(String before, Readiness now) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("state", now.state());
        data.put("previous", before);
        data.set("failed", Json.mapper().valueToTree(now.failed()));
        try {
            journal.append(null, "readiness", data);
        } catch (RuntimeException e) {
            LOG.warn("could not journal the readiness change to {}: {}", now.state(), e.toString());
        }
        if (Readiness.AT_RISK.equals(now.state())) {
            ALERT.warn(alertLine(before, now));
        } else {
            LOG.info("readiness is {} again ({} checks ok or warning)", now.state(), now.checks().size());
        }
    }

    /**
     * One line, key=value pairs (QRadar's generic parsing and a LEEF-less DSM both read them): what went at risk
     * and why, never a secret (the reasons name targets, hosts and rules only).
     */
    static String alertLine(String before, Readiness now) {
        StringBuilder b = new StringBuilder("SafeguardReadiness state=at-risk previous=")
                .append(before == null ? "unknown" : before)
                .append(" failed=").append(now.failed().size());
        for (Check c : now.failed()) {
            b.append(" check=").append(c.check()).append(" subject=\"").append(oneLine(c.subject()))
                    .append("\" why=\"").append(oneLine(c.why())).append('"');
        }
        return b.toString();
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n\\t]+", " ").replace("\"", "'");
    }
}
