import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * C clients load GET /api/overview at once, R rounds each (all C start together each round); prints the latency
 * percentiles of every load and the statuses. Usage: java bench/OverviewLoad.java URL TOKEN [C] [R].
 */
public final class OverviewLoad {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        String token = args[1];
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 100;
        int rounds = args.length > 3 ? Integer.parseInt(args[3]) : 5;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest req = HttpRequest.newBuilder(URI.create(url)).header("Authorization", "Bearer " + token)
                .timeout(Duration.ofSeconds(120)).GET().build();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        List<Long> millis = Collections.synchronizedList(new ArrayList<>());
        List<Integer> statuses = Collections.synchronizedList(new ArrayList<>());
        long bytes = 0;
        for (int r = 0; r < rounds; r++) {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Integer>> all = new ArrayList<>();
            for (int c = 0; c < clients; c++) {
                all.add(pool.submit(() -> {
                    go.await();
                    long t0 = System.nanoTime();
                    HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString());
                    millis.add((System.nanoTime() - t0) / 1_000_000);
                    statuses.add(resp.statusCode());
                    return resp.body().length();
                }));
            }
            go.countDown();
            for (Future<Integer> f : all) {
                bytes = f.get();
            }
        }
        pool.shutdownNow();
        List<Long> sorted = new ArrayList<>(millis);
        Collections.sort(sorted);
        System.out.printf("%d loads (%d at once x %d rounds), body %d bytes: p50 %d ms, p95 %d ms, p99 %d ms, max %d ms; statuses %s%n",
                sorted.size(), clients, rounds, bytes, at(sorted, 50), at(sorted, 95), at(sorted, 99),
                sorted.get(sorted.size() - 1), statuses.stream().distinct().sorted().toList());
    }

    private static long at(List<Long> sorted, int pct) {
        return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(pct / 100.0 * sorted.size()) - 1));
    }
}
