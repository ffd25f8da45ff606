import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import safeguard.content.ContentService;
import safeguard.qradar.ConsoleExtension;
import safeguard.store.Store;

/**
 * Provisioning time on the contract-faithful fake console (HTTPS on loopback): a fresh install, then a restart with
 * nothing to do (a new service on the same store, as after a container restart). Counts the requests of each and
 * the writes of the restart, which must be zero. Args: rounds (default 15).
 */
public class ProvisioningBench {
    public static void main(String[] args) throws Exception {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 15;
        List<Long> fresh = new ArrayList<>();
        List<Long> restart = new ArrayList<>();
        long freshRequests = 0;
        long freshWrites = 0;
        long restartRequests = 0;
        long restartWrites = 0;
        for (int i = 0; i < rounds + 2; i++) { // two warm-up rounds, not counted
            ConsoleExtension console = ConsoleExtension.started();
            Path dir = Files.createTempDirectory("prov-bench");
            Store store = Store.open(dir.resolve("store"));
            long t0 = System.nanoTime();
            run(store, console);
            long t1 = System.nanoTime();
            int afterFresh = console.fake().requests().size();
            long writesBefore = console.fake().writes();
            long t2 = System.nanoTime();
            run(store, console);
            long t3 = System.nanoTime();
            if (i >= 2) {
                fresh.add((t1 - t0) / 1_000_000);
                restart.add((t3 - t2) / 1_000_000);
                freshRequests = afterFresh;
                freshWrites = writesBefore;
                restartRequests = console.fake().requests().size() - afterFresh;
                restartWrites += console.fake().writes() - writesBefore;
            }
            if (!console.fake().violations().isEmpty()) {
                throw new IllegalStateException("contract violations: " + console.fake().violations());
            }
            console.stop();
        }
        System.out.printf("fresh install: median %d ms, p90 %d ms, min %d ms, %d requests, %d writes%n",
                pct(fresh, 50), pct(fresh, 90), Collections.min(fresh), freshRequests, freshWrites);
        System.out.printf("restart, nothing to do: median %d ms, p90 %d ms, min %d ms, %d requests, %d writes in %d restarts%n",
                pct(restart, 50), pct(restart, 90), Collections.min(restart), restartRequests, restartWrites, rounds);
    }

    /** One start of the app's content service, until it reports the content installed. */
    static void run(Store store, ConsoleExtension console) throws InterruptedException {
        ContentService s = new ContentService(store, console.service(), true, Clock.systemUTC(), Duration.ofSeconds(30));
        s.start();
        while (!s.status().state().equals("installed")) {
            if (s.status().state().equals("error")) {
                throw new IllegalStateException(s.status().lastError());
            }
            Thread.sleep(1);
        }
        s.stop();
    }

    static long pct(List<Long> xs, int p) {
        List<Long> sorted = new ArrayList<>(xs);
        Collections.sort(sorted);
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
    }
}
