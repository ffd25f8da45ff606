package safeguard.overview;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestHttp;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * The finding: five Overview loads at once on a store of 20,800 requests ended the JVM (OutOfMemoryError under the
 * manifest's 96 MB heap). Here the app runs as QRadar starts it (the manifest's JVM flags) on a store of 40,000
 * journal records, answers five concurrent loads and a hundred more, and is still running, with the counts right.
 */
class OverviewLoadProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");
    static final String[] TARGETS = {"scale-a", "scale-b", "scale-c"};

    @TempDir
    Path tmp;
    Process app;

    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroy();
            app.waitFor();
        }
    }

    /** {@code actions} runs of 5 records each (accepted, started, 2 calls, outcome), round robin over the targets. */
    static void fill(Path store, int actions) {
        TargetService targets = new TargetService(Store.open(store));
        for (String t : TARGETS) {
            targets.create(new TargetInput("scale", t, "scale.example", 443, "snapadmin", "pw", new Tls("verify", null, null),
                    2, 10, new ScaleSettings("gpfs01", "sales", List.of("sales"), "sgc", 24, 60, "UTC"), null, null, false));
        }
        DateTimeFormatter idTime = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        try (Journal j = new Journal(store.resolve("journal"), 16L * 1024 * 1024, Clock.systemUTC())) {
            IntStream.range(0, actions).parallel().forEach(i -> {
                String target = TARGETS[i % TARGETS.length];
                String id = "a-" + idTime.format(Instant.now()) + "-" + String.format("%08x", i);
                ObjectNode acc = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", target)
                        .put("scope", "sales").put("dryRun", false);
                acc.putObject("context").put("rule", "Safeguard: confidential file touched off-hours")
                        .put("path", "/ibm/gpfs01/sales/" + "p".repeat(2000) + i + ".csv");
                acc.putObject("plan").put("fileSystem", "gpfs01").put("fileset", "sales").put("snapshot", "sgc-" + i);
                j.append(id, "accepted", acc);
                j.append(id, "started", Json.mapper().createObjectNode());
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "create snapshot").put("status", 202));
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "read back").put("status", 200));
                boolean fail = target.equals("scale-b");
                ObjectNode done = Json.mapper().createObjectNode();
                done.putObject("result").put("snapshot", "sgc-" + i);
                if (fail) {
                    done.put("error", "snapshot not found when read back: HTTP 404");
                }
                j.append(id, fail ? "not-protected" : "protected", done);
            });
        }
    }

    private TestHttp launch(Path store) throws Exception {
        Path out = tmp.resolve("app.out");
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(safeguard.actions.ManifestFlags.of());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlog4j2.configurationFile=log4j2.xml",
                "safeguard.Main"));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("SAFEGUARD_STORE", store.toString());
        pb.environment().put("SAFEGUARD_PORT", "0");
        pb.environment().put("SAFEGUARD_BIND", "127.0.0.1");
        app = pb.start();
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(out) ? Files.readString(out) : "");
            if (m.find()) {
                return TestHttp.admin(Integer.parseInt(m.group(1)), store);
            }
            assertTrue(app.isAlive(), () -> "app exited: " + read(out));
            app.onExit().completeOnTimeout(null, 50, java.util.concurrent.TimeUnit.MILLISECONDS).join();
        }
        throw new AssertionError("app did not start: " + read(out));
    }

    private static String read(Path p) {
        try {
            return Files.readString(p);
        } catch (Exception e) {
            return e.toString();
        }
    }

    @Test
    void concurrent_overview_loads_on_a_long_journal_answer_under_the_manifests_heap_and_the_app_keeps_running() throws Exception {
        Path store = tmp.resolve("store");
        fill(store, 8_000);
        TestHttp http = launch(store);
        ExecutorService pool = Executors.newFixedThreadPool(5);
        try {
            for (int round = 0; round < 21; round++) {
                List<Future<HttpResponse<String>>> loads = new ArrayList<>();
                for (int i = 0; i < 5; i++) {
                    loads.add(pool.submit(() -> http.get("/api/overview")));
                }
                for (Future<HttpResponse<String>> f : loads) {
                    HttpResponse<String> r = f.get();
                    assertEquals(200, r.statusCode(), r.body());
                    JsonNode o = Json.mapper().readTree(r.body());
                    JsonNode a = target(o, "scale-a");
                    assertEquals("protected", a.get("state").asText(), a.toString());
                    assertEquals(2667, a.at("/last24h/total").asInt(), "every action of the fill is in the window");
                    assertEquals(2667, a.at("/last24h/byStatus/protected").asInt());
                    JsonNode b = target(o, "scale-b");
                    assertEquals("not-protected", b.get("state").asText(), b.toString());
                    assertEquals("not-protected", b.at("/lastFailure/status").asText(), b.toString());
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertTrue(app.isAlive(), "the app is still running");
        assertEquals(200, http.get("/debug").statusCode());
    }

    private static JsonNode target(JsonNode overview, String name) {
        for (JsonNode t : overview.get("targets")) {
            if (t.get("name").asText().equals(name)) {
                return t;
            }
        }
        throw new AssertionError("no target " + name + " in " + overview);
    }
}
