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
import java.util.concurrent.TimeUnit;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.scale.ScaleSimulator;

/**
 * bench/shutdown.sh runs this (issue #21 item 3). The app in its own process with the manifest's JVM flags, 8 Scale
 * targets each running a snapshot whose job never completes; SIGTERM; time until the process has exited (QRadar
 * kills a container 10 s after SIGTERM). Then a restart with the jobs completed: every action resumes and ends
 * protected, one snapshot each. Usage: java -cp ... bench/ShutdownBench.java [TARGETS]
 */
public final class ShutdownBench {
    static final HttpClient CLIENT = HttpClient.newHttpClient();
    static String admin;

    public static void main(String[] args) throws Exception {
        try {
            run(args);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        int targets = args.length > 0 ? Integer.parseInt(args[0]) : 8;
        Path work = Files.createTempDirectory("sr-shutdown-");
        TestCerts cert = TestCerts.selfSigned(work, "storage");
        String pin = PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0));
        ScaleSimulator scale = ScaleSimulator.started(cert, 1_000_000);
        Path store = work.resolve("store");
        int port = 5097;
        Process app = launch(store, port);
        String token = Json.mapper().readTree(send(port, "POST", "/api/action-token/reveal", null, null).body()).get("token").asText();
        List<String> ids = new ArrayList<>();
        for (int i = 1; i <= targets; i++) {
            ObjectNode t = Json.mapper().createObjectNode();
            t.put("kind", "scale").put("name", "scale" + i).put("host", "localhost").put("port", scale.port())
                    .put("username", "snapadmin").put("password", "pw").put("confirmSeconds", 300);
            t.putObject("tls").put("mode", "pinned").put("pinnedSha256", pin);
            t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").putArray("filesets").add("sales");
            HttpResponse<String> made = send(port, "POST", "/api/targets", t.toString(), null);
            if (made.statusCode() != 201) {
                throw new IllegalStateException("target not made: " + made.body());
            }
            String body = "{\"type\":\"scale-snapshot\",\"target\":\"scale" + i + "\"}";
            ids.add(Json.mapper().readTree(send(port, "POST", "/api/actions", body, token).body()).get("id").asText());
        }
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (scale.creates() < targets && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        Thread.sleep(1500); // every action is now waiting between two polls of its job
        long t0 = System.nanoTime();
        app.destroy(); // SIGTERM, as QRadar stops a container
        boolean exited = app.waitFor(30, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        System.out.printf("shutdown with %d targets busy: %s in %d ms (exit %s)%n", targets, exited ? "exited" : "STILL RUNNING",
                ms, exited ? app.exitValue() : "-");
        scale.pollsToComplete = 0;
        app = launch(store, port);
        int protectedCount = 0;
        until = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < until) {
            protectedCount = 0;
            for (String id : ids) {
                JsonNode d = Json.mapper().readTree(send(port, "GET", "/api/actions/" + id, null, null).body());
                protectedCount += d.at("/action/status").asText().equals("protected") ? 1 : 0;
            }
            if (protectedCount == targets) {
                break;
            }
            Thread.sleep(200);
        }
        System.out.printf("after restart: %d of %d actions protected; snapshot creates %d, snapshots %d%n",
                protectedCount, targets, scale.creates(), scale.created());
        app.destroy();
        app.waitFor(30, TimeUnit.SECONDS);
        scale.close();
        System.exit(0);
    }

    static Process launch(Path store, int port) throws Exception {
        Files.createDirectories(store);
        admin = new safeguard.access.LocalAdmin(safeguard.store.Store.open(store), java.time.Clock.systemUTC()).rotate();
        List<String> cmd = new ArrayList<>(List.of(System.getenv("APP_JAVA").trim().split("\\s+")));
        cmd.add("-jar");
        cmd.add("app/target/safeguard-responder-app.jar");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(store.resolveSibling("app.out").toFile()));
        pb.environment().put("SAFEGUARD_STORE", store.toString());
        pb.environment().put("SAFEGUARD_PORT", Integer.toString(port));
        pb.environment().put("SAFEGUARD_BIND", "127.0.0.1");
        Process p = pb.start();
        long deadline = System.nanoTime() + 60_000_000_000L;
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

    static HttpResponse<String> send(int port, String method, String path, String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        b.header("Authorization", "Bearer " + (bearer != null ? bearer : admin));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }
}
