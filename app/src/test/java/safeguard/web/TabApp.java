package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.access.LocalAdmin;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;

/**
 * The app outside QRadar as the browser tests drive it, on a fresh store beside a Storage Scale simulator: its local
 * admin's token (what {@code admin-token} prints), Scale targets added through the API, and rules firing the custom
 * action. Register with {@code @RegisterExtension final TabApp app = new TabApp(0);}; after a test that passed, the
 * simulator must have seen no request that breaks IBM's documented contract.
 */
public final class TabApp implements BeforeEachCallback, AfterEachCallback {
    private final int runningPolls;
    private Path dir;
    private ScaleSimulator scale;
    private Javalin app;
    private String adminToken;
    private String actionToken;

    /** {@code runningPolls}: how many times the simulator answers a job as still running before it ends. */
    public TabApp(int runningPolls) {
        this.runningPolls = runningPolls;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        dir = Files.createTempDirectory("sr-tab");
        scale = ScaleSimulator.started(TestCerts.localhost(), runningPolls);
        restart(dir.resolve("store"));
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        stop();
        if (scale != null) {
            scale.close();
        }
        if (dir != null) {
            try (Stream<Path> all = Files.walk(dir)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
        if (scale != null && context.getExecutionException().isEmpty()) {
            assertEquals(List.of(), scale.violations(), "requests that break Storage Scale's documented API");
        }
    }

    /**
     * (Re)started on {@code store} with a fresh admin token; a storage system that fails is retried once at once (no
     * test waits on a back-off).
     */
    public void restart(Path store) {
        stop();
        actionToken = null;
        adminToken = new LocalAdmin(Store.open(store), Clock.systemUTC()).rotate();
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(store), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
    }

    /** The app goes away (the page is left open). */
    public void stop() {
        if (app != null) {
            app.stop();
        }
    }

    public ScaleSimulator scale() {
        return scale;
    }

    public String adminToken() {
        return adminToken;
    }

    public int port() {
        return app.port();
    }

    /** The API as the local admin. */
    public TestHttp api() {
        return new TestHttp(app.port()).with("Authorization", "Bearer " + adminToken);
    }

    public String actionToken() throws Exception {
        if (actionToken == null) {
            actionToken = Json.mapper().readTree(api().send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        }
        return actionToken;
    }

    /** A Scale target on a simulator at {@code port}, its certificate pinned, as an admin adds it through the API. */
    public void scaleTarget(String name, int port, boolean dryRun) throws Exception {
        var t = Json.mapper().createObjectNode().put("kind", "scale").put("name", name).put("host", "localhost")
                .put("port", port).put("username", "snapadmin").put("password", "pw-Scale-1").put("dryRun", dryRun);
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256",
                PeerTrust.fingerprint(TlsTrust.readPem(TestCerts.localhost().pem()).get(0)));
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").putArray("filesets").add("sales");
        assertEquals(201, api().send("POST", "/api/targets", t.toString()).statusCode());
    }

    /** What the custom action sends when a rule fires for a file touched off-hours (no event time, no offense). */
    public String fire(String target) throws Exception {
        return post("{\"type\":\"scale-snapshot\",\"target\":\"" + target + "\",\"context\":"
                + "{\"rule\":\"Safeguard: confidential file touched off-hours\",\"user\":\"4294967294\","
                + "\"path\":\"/gpfs/gpfs01/sales/salaries-2022.csv\",\"filename\":\"salaries-2022.csv\"}}");
    }

    /** What it sends for an audit event on {@code path} at {@code eventTime}, from offense {@code offenseId} (or none). */
    public String fireEvent(String target, String path, Instant eventTime, String offenseId) throws Exception {
        var body = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", target);
        var context = body.putObject("context");
        if (offenseId != null) {
            context.put("offenseId", offenseId);
        }
        context.put("rule", "Safeguard: confidential file touched off-hours").put("user", "4294967294")
                .put("path", path).put("filename", path.substring(path.lastIndexOf('/') + 1))
                .put("eventTime", eventTime.toString());
        return post(body.toString());
    }

    private String post(String body) throws Exception {
        HttpResponse<String> fired = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/actions"))
                .header("Authorization", "Bearer " + actionToken()).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(202, fired.statusCode(), fired.body());
        return Json.mapper().readTree(fired.body()).get("id").asText();
    }

    /** Reads the action until it has {@code status} (30 s at most). */
    public void awaitStatus(String id, String status) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode d = Json.mapper().readTree(api().get("/api/actions/" + id).body());
            if (d.at("/action/status").asText().equals(status)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new AssertionError(id + " never became " + status);
    }
}
