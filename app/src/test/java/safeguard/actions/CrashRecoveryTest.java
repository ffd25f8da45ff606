package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.scale.ScaleSimulator;
import safeguard.TestCerts;
import safeguard.TestHttp;

/** kill -9 the app while a snapshot job is running; the restarted app finishes the action from the journal. */
class CrashRecoveryTest {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Process app;


    @AfterEach
    void stop() throws Exception {
        if (app != null) {
            app.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (scale != null) {
            scale.close();
        }
    }

    private TestHttp launch(String run) throws Exception {
        Path out = tmp.resolve(run + ".out");
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), "-Dlog4j2.configurationFile=log4j2.xml", "safeguard.Main")
                .redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("SAFEGUARD_STORE", tmp.resolve("store").toString());
        pb.environment().put("SAFEGUARD_PORT", "0");
        pb.environment().put("SAFEGUARD_BIND", "127.0.0.1");
        app = pb.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(Files.exists(out) ? Files.readString(out) : "");
            if (m.find()) {
                return TestHttp.admin(Integer.parseInt(m.group(1)), tmp.resolve("store"));
            }
            assertTrue(app.isAlive(), () -> "app exited: " + read(out));
            Thread.sleep(50);
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
    void an_action_running_when_the_app_is_killed_is_finished_after_restart() throws Exception {
        scale = ScaleSimulator.started(cert, 1_000_000); // the job never completes while the first app runs
        TestHttp http = launch("first");
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        assertEquals(201, http.send("POST", "/api/targets",
                ActionApp.scaleTarget(scale.port(), cert, false).toString()).statusCode());
        var submit = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + http.port() + "/api/actions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ActionRoutesTest.snapshot(null, null))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, submit.statusCode(), submit.body());
        String id = Json.mapper().readTree(submit.body()).get("id").asText();

        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scale.polls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, scale.created(), "the snapshot job was started upstream");
        app.destroyForcibly(); // kill -9: no shutdown hook, no final journal record
        assertTrue(app.waitFor(10, TimeUnit.SECONDS));

        scale.pollsToComplete = 0; // the storage system finished the job meanwhile
        TestHttp again = launch("second");
        JsonNode d = ActionApp.awaitAction(again, id, x -> x.at("/action/status").asText().equals("verified"));

        List<String> events = new ArrayList<>();
        d.get("timeline").forEach(s -> events.add(s.get("event").asText()));
        assertEquals(List.of("accepted", "started", "resumed", "started"), events.subList(0, 4), events.toString());
        assertEquals("verified", events.get(events.size() - 1));
        assertEquals(1, scale.created(), "the same snapshot, not a second one");
        assertTrue(scale.names().contains(d.at("/action/result/snapshot").asText()));
        assertTrue(Json.mapper().readTree(again.get("/api/journal/verify").body()).get("intact").asBoolean());
    }
}
