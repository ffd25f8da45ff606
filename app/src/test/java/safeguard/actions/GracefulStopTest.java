package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.journal.Journal;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** A clean stop is not an outcome: actions in flight are left as a crash leaves them and end at the next start. */
class GracefulStopTest {
    static final TestCerts cert = TestCerts.localhost();
    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Journal journal;
    ActionService actions;
    final CountDownLatch polling = new CountDownLatch(1);

    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (scale != null) {
            scale.close();
            assertEquals(List.of(), scale.violations(), "requests that broke Scale's documented contract");
        }
    }

    private ActionService start(boolean firstTime) throws Exception {
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        if (firstTime) {
            targets.create(new TargetInput("scale", "scale1", "localhost", scale.port(), "snapadmin", "pw",
                    new Tls("pinned", null, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0))), 2, 600,
                    new ScaleSettings("gpfs01", "sales", List.of("sales", "hr", "ops", "eng"), "sgc", 24, 600, "UTC"),
                    null, null, null, null));
        }
        RetryPolicy noWait = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
        // Polls really wait (a stop interrupts the wait); the first wait says the job is being watched.
        RetryPolicy.Sleeper watching = d -> {
            polling.countDown();
            Thread.sleep(d.toMillis());
        };
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait, watching);
        journal = new Journal(store.dir().resolve("journal"), 1 << 20, Clock.systemUTC());
        actions = new ActionService(journal, targets, connector, null, Clock.systemUTC(), 8);
        actions.load();
        return actions;
    }

    private static ActionRequest snapshotOf(String fileset) {
        return new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", "/ibm/gpfs01/" + fileset + "/x.csv", "x.csv", null, null),
                null, fileset, null, null);
    }

    private ActionDetail awaitEnd(String id) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            ActionDetail d = actions.detail(id);
            if (ActionState.TERMINAL.contains(d.action().status())) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("did not end: " + actions.detail(id));
    }

    @Test
    void a_graceful_stop_with_actions_in_flight_leaves_them_to_resume_and_each_ends_with_one_copy() throws Exception {
        scale = ScaleSimulator.started(cert, 1_000_000); // the snapshot job runs until the app has stopped
        start(true);
        String running = actions.submit(snapshotOf("sales")).id();
        String queued = actions.submit(snapshotOf("hr")).id(); // waits behind the first in the target's queue
        assertTrue(polling.await(30, TimeUnit.SECONDS), "the first action is watching its job");
        assertEquals(1, scale.creates());

        actions.close();
        journal.close();

        scale.pollsToComplete = 0; // the cluster finished the job meanwhile
        start(false);
        for (String id : List.of(running, queued)) {
            ActionSummary left = actions.detail(id).action();
            assertFalse(ActionState.TERMINAL.contains(left.status()), "the stop is not an outcome: " + left);
        }
        actions.resume();
        ActionDetail first = awaitEnd(running);
        ActionDetail second = awaitEnd(queued);
        assertEquals("protected", first.action().status(), first.toString());
        assertEquals("protected", second.action().status(), second.toString());
        List<String> events = first.timeline().stream().map(ActionDetail.Step::event).toList();
        assertFalse(events.contains("unknown"), events.toString());
        assertTrue(events.contains("resumed"), events.toString());
        assertTrue(first.action().result().getOrDefault("adopted", "").startsWith("job "),
                "the resumed run adopted the job the first run started: " + first.action());
        assertEquals(2, scale.creates(), "one create per action: none asked twice");
        assertEquals(2, scale.created(), "one copy each");
        assertTrue(actions.verifyJournal(true).intact());
    }
}
