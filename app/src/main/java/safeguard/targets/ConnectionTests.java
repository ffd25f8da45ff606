package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import safeguard.NotFoundException;
import safeguard.UnavailableException;

/**
 * Connection tests run off the request thread: a test logs in and reads the target's configuration, with the
 * target's timeouts and retries, which can take minutes against a slow or unreachable system. A request waits
 * at most {@code brief} for the answer; after that it is told the test is running and follows it. Each target's
 * last test (running or finished) is kept here until the target changes; one test per target runs at a time.
 */
public final class ConnectionTests implements AutoCloseable {
    /** How many tests run at once, and how many may wait, over all targets. */
    static final int RUNNING = 2;
    static final int WAITING = 16;

    /** A test that has not answered yet. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Running(String target, String state, String startedAt) {
    }

    /** A target's test: when it started, and its result once it has one. */
    public record Test(String target, String startedAt, CompletableFuture<ConnectionTest> result) {
        public Running running() {
            return new Running(target, "running", startedAt);
        }
    }

    private final TargetService targets;
    private final Connector connector;
    private final Clock clock;
    private final Duration brief;
    private final ConcurrentMap<String, Test> last = new ConcurrentHashMap<>();
    private final ThreadPoolExecutor pool = new ThreadPoolExecutor(RUNNING, RUNNING, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(WAITING), r -> {
                Thread t = new Thread(r, "target-test");
                t.setDaemon(true);
                return t;
            });

    public ConnectionTests(TargetService targets, Connector connector, Clock clock, Duration brief) {
        this.targets = targets;
        this.connector = connector;
        this.clock = clock;
        this.brief = brief;
    }

    /** Starts a test of {@code name}, or returns the one running for it now. */
    public synchronized Test start(String name) {
        targets.target(name);
        Test now = last.get(name);
        if (now != null && !now.result().isDone()) {
            return now;
        }
        Test t = new Test(name, clock.instant().toString(), new CompletableFuture<>());
        try {
            pool.execute(() -> {
                try {
                    t.result().complete(connector.test(name));
                } catch (Throwable e) {
                    t.result().completeExceptionally(e);
                }
            });
        } catch (RejectedExecutionException full) {
            throw new UnavailableException(RUNNING + WAITING + " connection tests are running or waiting; try again shortly", 5);
        }
        last.put(name, t);
        return t;
    }

    /** The last test of {@code name}, running or finished. */
    public Test last(String name) {
        targets.target(name);
        Test t = last.get(name);
        if (t == null) {
            throw new NotFoundException("target " + name + " has not been tested since it was last changed");
        }
        return t;
    }

    /** The test's result if it has one within the brief wait (none at all when {@code wait} is false), else null. */
    public ConnectionTest result(Test t, boolean wait) {
        try {
            return wait ? t.result().get(brief.toMillis(), TimeUnit.MILLISECONDS) : t.result().getNow(null);
        } catch (TimeoutException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | java.util.concurrent.CompletionException e) {
            // The test failed without a result (the target was deleted meanwhile): answered as any such error.
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        }
    }

    /** The target changed or was deleted: its last test says nothing about it any more. */
    public void forget(String name) {
        last.remove(name);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
