import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.stream.Stream;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.scale.ScaleSimulator;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;

/**
 * bench/actions.sh runs this. (1) Burst: N requests for one Scale target and fileset from C concurrent clients
 * (ApacheBench, a new connection per request as each custom action makes) against the app in its own process
 * with the manifest's JVM flags, and a simulated Scale. bench/burst-100k.sh runs its "slices" mode. Time to protect,
 * ours against IBM's sample flow, is bench/time-to-protect.sh's (TimeToProtectBench: IBM's calls with requests).
 */
public final class ActionBench {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("slices")) {
            Path work = Files.createTempDirectory("sr-bench-");
            TestCerts cert = TestCerts.selfSigned(work, "storage");
            slices(work, cert, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)), Integer.parseInt(args[1]),
                    Integer.parseInt(args[2]), Integer.parseInt(args[3]));
            System.exit(0);
        }
        int requests = Integer.parseInt(args[0]);
        int clients = Integer.parseInt(args[1]);
        Path work = Files.createTempDirectory("sr-bench-");
        TestCerts cert = TestCerts.selfSigned(work, "storage");
        String pin = PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0));
        burst(work, cert, pin, requests, clients);
        System.exit(0);
    }

    static final HttpClient CLIENT = HttpClient.newBuilder().executor(Executors.newFixedThreadPool(8)).build();

    /** The app in its own process, with the manifest's JVM flags (bench/actions.sh passes them in APP_JAVA). */
    static Process launch(Path store, int port) throws Exception {
        // The configuration calls need the local admin token; make one in the store the app is about to use.
        admin = new safeguard.access.LocalAdmin(safeguard.store.Store.open(store), java.time.Clock.systemUTC()).rotate();
        List<String> cmd = new ArrayList<>(List.of(System.getenv("APP_JAVA").trim().split("\\s+")));
        cmd.add("-jar");
        cmd.add("app/target/safeguard-responder-app.jar");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(store.resolveSibling("app.out").toFile());
        pb.environment().put("SAFEGUARD_STORE", store.toString());
        pb.environment().put("SAFEGUARD_PORT", Integer.toString(port));
        pb.environment().put("SAFEGUARD_BIND", "127.0.0.1");
        Process p = pb.start();
        long deadline = System.nanoTime() + 30_000_000_000L;
        while (System.nanoTime() < deadline) {
            try {
                if (CLIENT.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/debug")).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return p;
                }
            } catch (java.io.IOException notYet) {
                Thread.sleep(50);
            }
        }
        throw new IllegalStateException("app did not start");
    }

    static String admin;

    /** {@code bearer} null: as the local admin. */
    static HttpResponse<String> send(int port, String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Authorization", "Bearer " + (bearer != null ? bearer : admin));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    static String ab(int port, int n, int c, Path body, String token) throws Exception {
        Process p = new ProcessBuilder("ab", "-q", "-n", Integer.toString(n), "-c", Integer.toString(c), "-p", body.toString(),
                "-T", "application/json", "-H", "Authorization: Bearer " + token,
                "http://127.0.0.1:" + port + "/api/actions").redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IllegalStateException("ab failed: " + out);
        }
        return out;
    }

    static String field(String ab, String regex) {
        java.util.regex.Matcher m = java.util.regex.Pattern.compile(regex).matcher(ab);
        return m.find() ? m.group(1) : "?";
    }

    static void burst(Path work, TestCerts cert, String pin, int requests, int clients) throws Exception {
        ScaleSimulator scale = ScaleSimulator.started(cert, 2);
        // The event's path decides the fileset (issue 20): the cluster is mounted where the paths say, and the
        // warm-up runs on a fileset of its own.
        scale.mountedUnder("/ibm").fileset("warmup", "/ibm/gpfs01/warmup", null);
        Path store = work.resolve("burst-store");
        int port = 5081;
        Process app = launch(store, port);
        try {
            String token = setUp(port, scale, pin);
            Path warm = body(work, "warm.json", "warmup");
            Path body = body(work, "body.json", "sales");
            ab(port, 3000, clients, warm, token); // JIT warm-up on another fileset
            String out = ab(port, requests, clients, body, token);
            awaitProtected(port, 2); // both actions (warm-up, then sales) run in turn
            long records = salesRecords(store);
            JsonNode verify = Json.mapper().readTree(send(port, "GET", "/api/journal/verify", null, null).body());
            long salesSnapshots = scale.names().stream().filter(n -> n.contains("-sales-")).count();
            // ab counts answers of another length as "failed": accepted and coalesced answers differ in length.
            System.out.printf("burst: %d requests from %d concurrent clients (ab, a new connection each): %s requests/s, "
                            + "connect/receive/exception errors %s/%s/%s, non-2xx %s%n",
                    requests, clients, field(out, "Requests per second:\\s+([\\d.]+)"), field(out, "Connect: (\\d+)"),
                    field(out, "Receive: (\\d+)"), field(out, "Exceptions: (\\d+)"),
                    field(out, "Non-2xx responses:\\s+(\\d+)").equals("?") ? "0" : field(out, "Non-2xx responses:\\s+(\\d+)"));
            System.out.printf("burst: latency p50 %s ms, p90 %s ms, p99 %s ms, max %s ms%n", field(out, "\\s50%\\s+(\\d+)"),
                    field(out, "\\s90%\\s+(\\d+)"), field(out, "\\s99%\\s+(\\d+)"), field(out, "100%\\s+(\\d+)"));
            System.out.printf("burst: snapshots created upstream for the fileset: %d; its request records in the journal: %d; chain intact: %s%n",
                    salesSnapshots, records, verify.get("intact").asBoolean());
            System.out.printf("burst: app RSS after the burst: %s%n", rss(app.pid()));
        } finally {
            app.destroy();
            app.waitFor();
            scale.close();
        }
    }

    /** One Scale target (a 1 h window per fileset) on the simulator; returns the action token. */
    static String setUp(int port, ScaleSimulator scale, String pin) throws Exception {
        String token = Json.mapper().readTree(send(port, "POST", "/api/action-token/reveal", null, null).body()).get("token").asText();
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale1").put("host", "localhost").put("port", scale.port())
                .put("username", "snapadmin").put("password", "pw");
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", pin);
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").put("minIntervalSeconds", 3600)
                .putArray("filesets").add("sales").add("warmup");
        send(port, "POST", "/api/targets", t.toString(), null);
        return token;
    }

    /** A custom action's request for a file of {@code fileset}: every one after the first is coalesced. */
    static Path body(Path work, String name, String fileset) throws Exception {
        return Files.writeString(work.resolve(name), "{\"type\":\"scale-snapshot\",\"target\":\"scale1\",\"context\":"
                + "{\"rule\":\"bench\",\"user\":\"0\",\"path\":\"/ibm/gpfs01/" + fileset + "/salaries-2022.csv\","
                + "\"filename\":\"salaries-2022.csv\"}}");
    }

    static void awaitProtected(int port, int actions) throws Exception {
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until && Json.mapper().readTree(send(port, "GET",
                "/api/actions?status=protected&target=scale1", null, null).body()).get("items").size() < actions) {
            Thread.sleep(200);
        }
    }

    /** The fileset sales' request records (accepted or coalesced) in the journal. */
    static long salesRecords(Path store) throws Exception {
        long records = 0;
        try (Stream<Path> files = Files.list(store.resolve("journal"))) {
            for (Path f : files.toList()) {
                try (Stream<String> lines = Files.lines(f)) {
                    records += lines.filter(l -> l.contains("\"scope\":\"sales\"")
                            && (l.contains("\"event\":\"accepted\"") || l.contains("\"event\":\"coalesced\""))).count();
                }
            }
        }
        return records;
    }

    /**
     * A long coalesced burst (issue #21 item 1): {@code requests} for one fileset from {@code clients} clients, sent
     * as back-to-back slices of {@code slice} (one ab run each, no pause), so the rate and p99 of the first slice can
     * be compared with the last. Every request after the first is coalesced into one action whose window stays open.
     */
    static void slices(Path work, TestCerts cert, String pin, int requests, int clients, int slice) throws Exception {
        ScaleSimulator scale = ScaleSimulator.started(cert, 2);
        scale.mountedUnder("/ibm").fileset("warmup", "/ibm/gpfs01/warmup", null);
        Path store = work.resolve("slices-store");
        int port = 5083;
        Process app = launch(store, port);
        try {
            String token = setUp(port, scale, pin);
            ab(port, 3000, clients, body(work, "warm.json", "warmup"), token); // JIT warm-up on another fileset
            Path body = body(work, "body.json", "sales");
            System.out.printf("| slice | requests | req/s | p50 ms | p99 ms | max ms | app CPU per request | errors | non-2xx |%n"
                    + "|---|---|---|---|---|---|---|---|---|%n");
            List<Double> rates = new ArrayList<>();
            long t0 = System.nanoTime();
            for (int done = 0, k = 1; done < requests; done += slice, k++) {
                int n = Math.min(slice, requests - done);
                long cpu0 = cpuMillis(app.pid());
                String out = ab(port, n, clients, body, token);
                double cpuPerRequest = (cpuMillis(app.pid()) - cpu0) / (double) n;
                String non2xx = field(out, "Non-2xx responses:\\s+(\\d+)");
                // ab counts answers of another length as "failed" (accepted and coalesced answers differ): the
                // errors column counts only connect, receive and exception errors.
                int realErrors = Integer.parseInt(field(out, "Connect: (\\d+)").replace("?", "0"))
                        + Integer.parseInt(field(out, "Receive: (\\d+)").replace("?", "0"))
                        + Integer.parseInt(field(out, "Exceptions: (\\d+)").replace("?", "0"));
                rates.add(Double.parseDouble(field(out, "Requests per second:\\s+([\\d.]+)")));
                System.out.printf("| %d | %,d–%,d | %s | %s | %s | %s | %.2f ms | %d | %s |%n", k, done + 1, done + n,
                        field(out, "Requests per second:\\s+([\\d.]+)"), field(out, "\\s50%\\s+(\\d+)"),
                        field(out, "\\s99%\\s+(\\d+)"), field(out, "100%\\s+(\\d+)"), cpuPerRequest, realErrors,
                        non2xx.equals("?") ? "0" : non2xx);
            }
            double total = (System.nanoTime() - t0) / 1e9;
            awaitProtected(port, 2);
            long records = salesRecords(store);
            JsonNode verify = Json.mapper().readTree(send(port, "GET", "/api/journal/verify", null, null).body());
            long salesSnapshots = scale.names().stream().filter(n -> n.contains("-sales-")).count();
            System.out.printf("slices: %,d requests from %d clients in %.1f s (%.0f req/s overall); last slice's rate / first's: %.2f%n",
                    requests, clients, total, requests / total, rates.get(rates.size() - 1) / rates.get(0));
            System.out.printf("slices: snapshots created upstream for the fileset: %d; its request records in the journal: %,d; chain intact: %s%n",
                    salesSnapshots, records, verify.get("intact").asBoolean());
            System.out.printf("slices: app RSS after the burst: %s%n", rss(app.pid()));
        } finally {
            app.destroy();
            app.waitFor();
            scale.close();
        }
    }

    /** The process's CPU time (user + system): per request it does not depend on what else the machine runs. */
    static long cpuMillis(long pid) throws Exception {
        String[] f = Files.readString(Path.of("/proc/" + pid + "/stat")).replaceAll(".*\\) ", "").trim().split("\\s+");
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10; // utime, stime in clock ticks of 10 ms
    }

    static String rss(long pid) throws Exception {
        for (String l : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
            if (l.startsWith("VmRSS:")) {
                return l.substring(6).trim();
            }
        }
        return "?";
    }

    static boolean sleep() {
        try {
            Thread.sleep(50);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return true;
    }

    static double pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)] / 1e6;
    }

}
