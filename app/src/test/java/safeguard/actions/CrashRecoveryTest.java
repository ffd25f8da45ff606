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
            assertEquals(List.of(), scale.violations(), "requests that broke Scale's documented contract");
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
        // A deadline, not a pace: a machine busy with other builds took over 30 s to start a JVM and Jetty.
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
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

    private String submit(TestHttp http) throws Exception {
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        assertEquals(201, http.send("POST", "/api/targets",
                ActionApp.scaleTarget(scale.port(), cert, false).toString()).statusCode());
        var submit = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + http.port() + "/api/actions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(java.net.http.HttpRequest.BodyPublishers.ofString(ActionRoutesTest.snapshot(null, null))).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(202, submit.statusCode(), submit.body());
        return Json.mapper().readTree(submit.body()).get("id").asText();
    }

    private void kill() throws InterruptedException {
        app.destroyForcibly(); // kill -9: no shutdown hook, no final journal record
        assertTrue(app.waitFor(10, TimeUnit.SECONDS));
    }

    /** The resumed action's timeline: what the first run journaled, then a run that looked before asking. */
    private static List<JsonNode> checkTimeline(JsonNode d) {
        List<JsonNode> steps = new ArrayList<>();
        d.get("timeline").forEach(steps::add);
        List<String> events = steps.stream().map(x -> x.get("event").asText()).toList();
        int resumed = events.indexOf("resumed");
        assertTrue(resumed > 0, events.toString());
        assertEquals(List.of("accepted", "started"), events.subList(0, 2));
        assertTrue(steps.subList(0, resumed).stream().anyMatch(x -> x.path("data").has("creates")),
                "the create was journaled before it was sent: " + events);
        assertEquals("started", events.get(resumed + 1));
        assertEquals("read back snapshot", steps.get(resumed + 2).at("/data/operation").asText(), "looks first");
        assertTrue(steps.subList(resumed, steps.size()).stream().noneMatch(x -> x.path("data").has("creates")),
                "and does not ask again: " + events);
        assertEquals("protected", events.get(events.size() - 1));
        assertTrue(d.at("/action/result/adopted").asText().startsWith("job "), d.get("action").toString());
        return steps.subList(0, resumed);
    }

    @Test
    void an_action_killed_while_polling_adopts_its_running_job_after_restart() throws Exception {
        scale = ScaleSimulator.started(cert, 1_000_000).mountedUnder("/ibm"); // the job never completes while the first app runs
        TestHttp http = launch("first");
        String id = submit(http);
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (scale.polls() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertEquals(1, scale.creates(), "the snapshot job was started upstream");
        kill();

        scale.pollsToComplete = 0; // the storage system finished the job meanwhile
        TestHttp again = launch("second");
        JsonNode d = ActionApp.awaitAction(again, id, x -> x.at("/action/status").asText().equals("protected"));
        checkTimeline(d);
        assertEquals(1, scale.creates(), "asked once");
        assertEquals(List.of(d.at("/action/result/snapshot").asText()), scale.names(), "the same snapshot, not a second one");
        assertTrue(Json.mapper().readTree(again.get("/api/journal/verify").body()).get("intact").asBoolean());
    }

    @Test
    void an_action_killed_after_its_create_was_sent_but_before_the_answer_adopts_the_job_instead_of_asking_again() throws Exception {
        scale = ScaleSimulator.started(cert, 0).mountedUnder("/ibm"); // where the request's path is
        var held = scale.holdAnswer("POST", ".*/snapshots"); // Scale took the request; the answer never gets back
        TestHttp http = launch("first");
        String id = submit(http);
        held.awaitArrival();
        JsonNode live = Json.mapper().readTree(http.get("/api/actions/" + id).body());
        JsonNode last = live.get("timeline").get(live.get("timeline").size() - 1);
        assertEquals("request", last.get("event").asText(), "the journal knows the create was asked for: " + live);
        kill();
        held.release();

        TestHttp again = launch("second");
        JsonNode d = ActionApp.awaitAction(again, id, x -> x.at("/action/status").asText().equals("protected"));
        List<JsonNode> first = checkTimeline(d);
        JsonNode create = first.get(first.size() - 1);
        assertEquals("request", create.get("event").asText(), "asked, answer unknown, as the first run left it");
        assertTrue(create.at("/data/creates").asText().startsWith("sgc-sales-"));
        assertEquals(1, scale.creates(), "not POSTed again");
        assertEquals(1, scale.created());
    }

    @Test
    void a_restore_killed_mid_copy_resumes_in_the_next_process_without_a_second_copy() throws Exception {
        scale = ScaleSimulator.started(cert, 3).mountedUnder("/ibm"); // where the request's path is
        scale.file("/ibm/gpfs01/sales/reports/q1.txt", "q1 clean");
        scale.has("sales", "sgc-before", "2030-01-01-00:00", java.time.Instant.now().minusSeconds(7200));
        scale.file("/ibm/gpfs01/sales/reports/q1.txt", "ENCRYPTED");
        TestHttp http = launch("first");
        String id = submit(http);
        ActionApp.awaitAction(http, id, x -> x.at("/action/status").asText().equals("protected"));
        var held = scale.holdAnswer("PUT", ".*/snapshotCopy/.*"); // Scale started the copy job; the answer is lost
        var started = http.send("POST", "/api/recoveries", "{\"action\":\"" + id + "\",\"snapshot\":\"sgc-before\","
                + "\"paths\":[\"/ibm/gpfs01/sales/reports\"],\"confirm\":\"scale1\"}");
        assertEquals(202, started.statusCode(), started.body());
        String rid = Json.mapper().readTree(started.body()).get("id").asText();
        held.awaitArrival();
        kill();
        held.release();

        TestHttp again = launch("second");
        JsonNode d = ActionApp.awaitAction(again, rid, x -> x.at("/action/status").asText().equals("restored"));
        List<String> events = new ArrayList<>();
        d.get("timeline").forEach(x -> events.add(x.get("event").asText()));
        assertTrue(events.contains("resumed"), events.toString());
        assertTrue(d.at("/action/result/copy.1.adopted").asText().startsWith("job "), d.get("action").toString());
        assertEquals(1, scale.copies(), "the copy was asked for once");
        assertEquals(java.util.Map.of("/ibm/gpfs01/sales/reports.restored-sgc-before/q1.txt", "q1 clean"),
                scale.files("/ibm/gpfs01/sales/reports.restored-sgc-before"));
    }
}
