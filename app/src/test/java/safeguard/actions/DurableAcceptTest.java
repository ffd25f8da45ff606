package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.journal.ChainReport;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * An action exists only once its record is durable: a journal write that fails leaves no window, no idempotency
 * answer and no action behind, so the next firing is not coalesced into an action the journal never held. The
 * target is a dry-run one: the admission path is the subject, no storage system is called.
 */
class DurableAcceptTest {
    @TempDir
    Path tmp;
    Journal journal;
    ActionService actions;
    final AtomicBoolean failNextForce = new AtomicBoolean();
    final AtomicInteger forces = new AtomicInteger();
    volatile int failEvery;

    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
    }

    private void start(boolean faulty) {
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        if (targets.all().isEmpty()) {
            targets.create(new TargetInput("scale", "scale1", "scale.example.com", 443, "snapadmin", "pw",
                    new Tls("verify", null, null), 2, 10,
                    new ScaleSettings("gpfs01", "sales", List.of("sales", "hr"), "sgc", 24, 600, "UTC"),
                    null, null, true));
        }
        Journal.Faults faults = !faulty ? Journal.Faults.NONE : step -> {
            if (step.equals("force") && (failNextForce.getAndSet(false)
                    || (failEvery > 0 && forces.incrementAndGet() % failEvery == 0))) {
                throw new IOException("simulated fsync failure");
            }
        };
        journal = new Journal(store.dir().resolve("journal"), 1 << 20, Clock.systemUTC(),
                new Journal.Options(8_192, Duration.ofSeconds(30), faults));
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { }), d -> { });
        actions = new ActionService(journal, targets, connector, null, Clock.systemUTC(), 32,
                () -> safeguard.settings.Settings.DEFAULTS, new ActionLimits(2, 1_000, Duration.ofHours(1), 5_000));
        actions.load();
        actions.resume();
    }

    private void restart() {
        actions.close();
        journal.close();
        start(false);
    }

    private static ActionRequest request(String key) {
        return new ActionRequest("scale-snapshot", "scale1", null, key, "sales", null, null);
    }

    @Test
    void a_failed_accept_leaves_no_window_and_no_answer_so_the_next_firing_makes_a_real_action() {
        start(true);
        failNextForce.set(true);
        assertThrows(RuntimeException.class, () -> actions.submit(request("k-1")));
        ActionAnswer second = actions.submit(request("k-1"));
        assertEquals("dry-run", second.status(), "not coalesced into an action the journal never held: " + second);
        ActionAnswer third = actions.submit(request("k-2"));
        assertEquals("coalesced", third.status());
        assertEquals(second.id(), third.coalescedInto());
        restart();
        assertEquals(second, actions.submit(request("k-1")), "the key answers what the journal holds");
        assertEquals("dry-run", actions.detail(second.id()).action().status());
        ChainReport r = journal.verify(true);
        assertTrue(r.intact(), r.toString());
    }

    @Test
    void journal_failures_mid_burst_lose_no_accepted_action_and_invent_none() throws Exception {
        start(true);
        failEvery = 4;
        Map<String, ActionAnswer> answered = new ConcurrentHashMap<>();
        Set<String> failedKeys = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 400; i++) {
                String key = "burst-" + i;
                fs.add(pool.submit(() -> {
                    try {
                        answered.put(key, actions.submit(request(key)));
                    } catch (RuntimeException e) {
                        failedKeys.add(key);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }
        assertFalse(failedKeys.isEmpty(), "the faults struck");
        assertFalse(answered.isEmpty());
        restart();
        Set<String> holders = new HashSet<>();
        for (Map.Entry<String, ActionAnswer> e : answered.entrySet()) {
            ActionAnswer a = e.getValue();
            assertEquals(a, actions.submit(request(e.getKey())), "an answered request is still known: " + a);
            ActionDetail d = actions.detail(a.id());
            assertNotEquals(0, d.timeline().size(), a.id() + " is in the journal");
            if (a.coalescedInto() != null) {
                holders.add(a.coalescedInto());
            }
        }
        for (String h : holders) {
            assertTrue(actions.detail(h).timeline().stream().anyMatch(s -> s.event().equals("accepted")),
                    "every action a request was coalesced into was journaled: " + h);
        }
        ChainReport r = journal.verify(true);
        assertTrue(r.intact(), r.toString());
    }

    @Test
    void an_actions_context_is_written_once_and_still_shown_once_the_action_has_left_memory() throws Exception {
        start(false);
        String path = "/ibm/gpfs01/sales/" + "d".repeat(4_000) + "/x.csv";
        ActionAnswer a = actions.submit(new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", path, "x.csv", null, null), null, "sales", null, null));
        assertEquals("dry-run", a.status());
        for (int i = 0; i < 5; i++) {
            actions.submit(new ActionRequest("scale-snapshot", "scale1", null, null, "hr", null, null));
        }
        long copies = 0;
        try (var files = java.nio.file.Files.list(tmp.resolve("store/journal"))) {
            for (Path f : files.toList()) {
                String text = java.nio.file.Files.readString(f);
                for (int at = text.indexOf(path); at >= 0; at = text.indexOf(path, at + 1)) {
                    copies++;
                }
            }
        }
        assertEquals(1, copies, "the 4 KB path is in the journal once");
        ActionSummary shown = actions.list(null, null, null, null, 50).items().stream()
                .filter(s -> s.id().equals(a.id())).findFirst().orElseThrow();
        assertEquals(path, shown.context().path(), "read back from the opening record");
        assertEquals("dry-run", shown.status());
    }
}
