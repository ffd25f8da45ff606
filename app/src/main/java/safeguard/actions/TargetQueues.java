package safeguard.actions;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;

/**
 * Each target's queues: one job at a time from a bounded queue (recoveries in a queue of their own), the run of an
 * action from "started" to its outcome, and the clean stop that leaves in-flight actions to resume.
 */
final class TargetQueues {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);

    private final ActionMemory m;
    private final ActionRunner runner;
    private final int queueCapacity;
    private final Map<String, ThreadPoolExecutor> queues = new HashMap<>();
    /** Set once by {@link #stopTaking()} (the stop): from then on a run's end is not recorded (the next start resumes it). */
    private boolean stopping;

    TargetQueues(ActionMemory m, ActionRunner runner, int queueCapacity) {
        this.m = m;
        this.runner = runner;
        this.queueCapacity = queueCapacity;
    }

    int capacity() {
        return queueCapacity;
    }

    /** Queues {@code s}'s run; throws {@link java.util.concurrent.RejectedExecutionException} when the queue is full. */
    void enqueue(ActionState s, boolean resuming) {
        queue(queueOf(s)).execute(() -> run(s, resuming));
    }

    /**
     * Target {@code name} was deleted: its coalescing windows go, and its queues stop taking work (what they hold
     * still runs, and ends saying the target is gone); a target made later under the name starts afresh.
     */
    void targetDeleted(String name) {
        List<ThreadPoolExecutor> gone = new ArrayList<>();
        synchronized (m.lock) {
            m.windows.keySet().removeIf(k -> k.startsWith(name + "/"));
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
        synchronized (m.lock) {
            return queues.size();
        }
    }

    /** Recoveries run beside protective actions, never behind them. */
    private static String queueOf(ActionState s) {
        return ActionService.RECOVERY_TYPES.contains(s.type) ? s.target + " (recovery)" : s.target;
    }

    ThreadPoolExecutor queue(String target) {
        synchronized (m.lock) {
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
            if (!m.journal.isClosed() && !Thread.currentThread().isInterrupted()) {
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
        m.append(s, "started", Json.mapper().createObjectNode());
        synchronized (m.lock) {
            s.status = "running";
            s.started = true;
            m.ledger.sync(s, m.clock.instant());
        }
        Outcome o = runner.run(s, resuming, (event, data) -> m.append(s, event, data));
        if (stopping()) {
            // Interrupted by the stop (or ended just as it came): the next start resumes it and adopts what it made.
            LOG.info("action {} stopped by shutdown; it resumes at the next start", s.id);
            return;
        }
        m.end(s, o.status(), o.data(), o.result(), o.error());
        LOG.info("action {} {} on {}: {}", s.id, s.type, s.target, o.status());
    }

    private boolean stopping() {
        synchronized (m.lock) {
            return stopping;
        }
    }

    /** The first step of a stop: no run records its end from now on; the queues held now, to stop. */
    List<ThreadPoolExecutor> stopTaking() {
        synchronized (m.lock) {
            stopping = true;
            return new ArrayList<>(queues.values());
        }
    }

    /** How a stop went: runs not started, and whether every queue emptied within the deadline. */
    record Stopped(int dropped, boolean stopped) {
    }

    /**
     * Interrupts running actions and drops queued ones; one deadline ({@link ActionService#STOP_WAIT}) covers every
     * target's queue, so a stop stays inside QRadar's 10 s however many targets are busy.
     */
    static Stopped stop(List<ThreadPoolExecutor> all) {
        int dropped = 0;
        for (ThreadPoolExecutor e : all) {
            dropped += e.shutdownNow().size();
        }
        long deadline = System.nanoTime() + ActionService.STOP_WAIT.toNanos();
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
        return new Stopped(dropped, stopped);
    }
}
