package safeguard.actions;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import safeguard.MutableClock;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * Drives N requests with contexts at their limits through the engine in this JVM (run with the manifest's heap by
 * BoundedMemoryProcessTest and bench/memory.sh), a new action every {@code every}-th request, the rest coalesced;
 * prints the engine's footprint and the heap in use after a full GC. Exits 3 when the heap grew past {@code maxMb}.
 */
public final class MemoryDrive {
    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        int n = Integer.parseInt(args[1]);
        int every = Integer.parseInt(args[2]);
        MutableClock clock = new MutableClock(Instant.parse("2026-11-24T08:00:00Z"));
        TargetService targets = new TargetService(Store.open(store));
        if (targets.all().isEmpty()) targets.create(new TargetInput("scale", "scale1", "scale.example", 443, "snapadmin", "pw", new Tls("verify", null, null),
                2, 10, new ScaleSettings("gpfs01", "sales", List.of("sales"), "sgc", 24, 600, "UTC"), null, null, true));
        Journal journal = new Journal(store.resolve("journal"), 16L * 1024 * 1024, clock);
        ActionService actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE,
                RetryPolicy.standard(), d -> { }), null, clock, 64, () -> safeguard.settings.Settings.DEFAULTS, ActionLimits.DEFAULTS);
        actions.load();
        String path = "/ibm/gpfs01/" + "é".repeat(4100) + "/";
        ExecutorService pool = Executors.newFixedThreadPool(32);
        AtomicLong done = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        long t0 = System.nanoTime();
        for (int i = 0; i < n; i++) {
            int k = i;
            pool.execute(() -> {
                if (k % every == 0) {
                    synchronized (clock) {
                        clock.advance(Duration.ofSeconds(601));
                    }
                }
                String tag = String.format("%08d", k);
                try {
                    actions.submit(new ActionRequest("scale-snapshot", "scale1",
                        new ActionContext("R".repeat(247) + tag, "u".repeat(247) + tag, (path + tag).substring(0, 4096),
                                "ü".repeat(247) + tag, "2026-11-24T08:00:00.123456789+00:00", Integer.toString(k)),
                        "key-" + "k".repeat(180) + tag, null, null, null));
                } catch (RuntimeException e) {
                    if (errors.incrementAndGet() == 1) {
                        e.printStackTrace();
                    }
                }
                long d = done.incrementAndGet();
                if (d % 100_000 == 0) {
                    System.out.println("progress " + d + " heapMb=" + usedMb() + " s=" + (System.nanoTime() - t0) / 1_000_000_000);
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(1, TimeUnit.HOURS);
        System.gc();
        ActionService.Footprint f = actions.footprint();
        System.out.println("done requests=" + n + " actions=" + f.actions() + " keys=" + f.idempotencyKeys()
                + " heapMb=" + usedMb() + " seconds=" + (System.nanoTime() - t0) / 1_000_000_000);
        actions.close();
        journal.close();
        if (errors.get() > 0) {
            System.out.println("errors=" + errors.get());
            System.exit(2);
        }
    }

    private static long usedMb() {
        Runtime r = Runtime.getRuntime();
        return (r.totalMemory() - r.freeMemory()) / (1024 * 1024);
    }
}
