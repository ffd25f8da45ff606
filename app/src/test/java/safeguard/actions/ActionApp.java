package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.scale.ScaleSimulator;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.store.Store;

/** The app on a free port with one Scale target ("scale1", pinned to the simulator's certificate) and its token. */
final class ActionApp implements AutoCloseable {
    final ScaleSimulator scale;
    final Javalin app;
    final TestHttp http;
    final String token;
    final Path store;

    ActionApp(Path tmp, TestCerts cert, int runningPolls, boolean dryRun) throws Exception {
        scale = ScaleSimulator.started(cert, runningPolls).mountedUnder("/ibm"); // as the audit fixtures' paths
        store = tmp.resolve("store");
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(store), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), store);
        token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        assertEquals(201, http.send("POST", "/api/targets", scaleTarget(scale.port(), cert, dryRun).toString()).statusCode());
    }

    static ObjectNode scaleTarget(int port, TestCerts cert, boolean dryRun) throws Exception {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale1").put("host", "localhost").put("port", port)
                .put("username", "snapadmin").put("password", "pw-Scale-1").put("dryRun", dryRun);
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").put("minIntervalSeconds", 600)
                .putArray("filesets").add("sales").add("hr");
        return t;
    }

    String url() {
        return "http://127.0.0.1:" + app.port();
    }

    HttpResponse<String> act(String body, String bearer) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url() + "/api/actions"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
        if (bearer != null) {
            b.header("Authorization", "Bearer " + bearer);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode awaitAction(String id, Predicate<JsonNode> done) throws Exception {
        return awaitAction(http, id, done);
    }

    static JsonNode awaitAction(TestHttp http, String id, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode d = null;
        while (System.nanoTime() < deadline) {
            var r = http.get("/api/actions/" + id);
            if (r.statusCode() == 200) {
                d = Json.mapper().readTree(r.body());
                if (done.test(d)) {
                    return d;
                }
            }
            Thread.sleep(20);
        }
        throw new AssertionError("action did not get there: " + d);
    }

    String journalText() throws Exception {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.list(store.resolve("journal"))) {
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }

    @Override
    public void close() {
        app.stop();
        scale.close();
    }
}
