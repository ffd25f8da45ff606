import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A burst against a running app: adds a dry-run Scale target (nothing upstream is called), reveals the action
 * token, then sends N POST /api/actions from C clients, as a rule firing on a flood of audit events does. JDK only.
 * Usage: java bench/Burst.java BASE_URL ADMIN_TOKEN [N] [C]. Run by bench/memory.sh.
 */
public final class Burst {
    public static void main(String[] args) throws Exception {
        String base = args[0];
        String admin = args[1];
        int n = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int c = args.length > 3 ? Integer.parseInt(args[3]) : 50;
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        send(http, base + "/api/targets", "Bearer " + admin, "POST", "{\"kind\":\"scale\",\"name\":\"burst\",\"host\":\"127.0.0.1\","
                + "\"port\":9,\"username\":\"u\",\"password\":\"p\",\"dryRun\":true,\"scale\":{\"fileSystem\":\"gpfs01\"}}");
        String revealed = send(http, base + "/api/action-token/rotate", "Bearer " + admin, "POST", null).body();
        Matcher m = Pattern.compile("\"token\":\"([^\"]+)\"").matcher(revealed);
        if (!m.find()) {
            throw new IllegalStateException("no action token in " + revealed);
        }
        String token = "Bearer " + m.group(1);
        Map<String, AtomicInteger> statuses = new ConcurrentHashMap<>();
        AtomicInteger next = new AtomicInteger();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        long t0 = System.nanoTime();
        for (int i = 0; i < c; i++) {
            pool.submit(() -> {
                int k;
                while ((k = next.getAndIncrement()) < n) {
                    String body = "{\"type\":\"scale-snapshot\",\"target\":\"burst\",\"context\":{\"rule\":\"burst\",\"user\":\"" + (2000 + k % 50)
                            + "\",\"path\":\"/ibm/gpfs01/sales/f-" + k + ".csv\",\"filename\":\"f-" + k + ".csv\"},\"idempotencyKey\":\"k-" + k + "\"}";
                    try {
                        HttpResponse<String> r = send(http, base + "/api/actions", token, "POST", body);
                        Matcher s = Pattern.compile("\"status\":\"([^\"]+)\"").matcher(r.body());
                        statuses.computeIfAbsent(r.statusCode() + " " + (s.find() ? s.group(1) : "?"), x -> new AtomicInteger()).incrementAndGet();
                    } catch (Exception e) {
                        statuses.computeIfAbsent("error " + e.getClass().getSimpleName(), x -> new AtomicInteger()).incrementAndGet();
                    }
                }
                return null;
            });
        }
        pool.shutdown();
        if (!pool.awaitTermination(10, TimeUnit.MINUTES)) {
            throw new IllegalStateException("burst did not finish in 10 minutes");
        }
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("burst: %d requests from %d clients in %.1f s (%.0f/s); answers %s%n", n, c, s, n / s, statuses);
    }

    static HttpResponse<String> send(HttpClient http, String url, String auth, String method, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", auth).header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
