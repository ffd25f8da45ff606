package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.TestCerts;

/** A damaged or torn journal no longer keeps the app down: it starts, says so, and keeps accepting actions. */
class JournalDamageStartTest {
    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;

    private String firstRun() throws Exception {
        try (ActionApp a = new ActionApp(tmp, cert, 0, true)) {
            for (String f : List.of("sales", "hr")) {
                assertEquals(202, a.act("{\"type\":\"scale-snapshot\",\"target\":\"scale1\",\"fileset\":\"" + f + "\"}", a.token).statusCode());
            }
            return a.token;
        }
    }

    private static JsonNode journalHealth(LocalApp app) throws Exception {
        long deadline = System.nanoTime() + 20_000_000_000L;
        JsonNode h;
        do {
            h = Json.mapper().readTree(app.http().get("/api/health").body());
            if (!"verifying".equals(h.path("journal").path("state").asText())) {
                return h;
            }
            Thread.sleep(20);
        } while (System.nanoTime() < deadline);
        return h;
    }

    @Test
    void a_corrupt_middle_record_leaves_the_app_up_and_damaged_with_the_segment_kept() throws Exception {
        String token = firstRun();
        Path seg = tmp.resolve("store/journal/journal-000001.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(seg));
        lines.set(1, "{\"seq\":2,\"time\":\"not a time\"");
        Files.write(seg, lines, StandardCharsets.UTF_8);
        byte[] kept = Files.readAllBytes(seg);

        try (LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            JsonNode h = journalHealth(app);
            assertEquals("degraded", h.path("status").asText(), h.toString());
            assertEquals("damaged", h.path("journal").path("state").asText());
            assertEquals("journal-000001.jsonl", h.path("journal").path("damage").path("file").asText());
            assertEquals(2, h.path("journal").path("damage").path("line").asInt());
            assertEquals(200, app.http().get("/debug").statusCode());

            var r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + app.app().port() + "/api/actions"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"type\":\"scale-snapshot\",\"target\":\"scale1\",\"fileset\":\"sales\",\"idempotencyKey\":\"after\"}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(202, r.statusCode(), r.body());
            assertTrue(Files.exists(tmp.resolve("store/journal/journal-000002.jsonl")), "actions go to a new segment");
            JsonNode v = Json.mapper().readTree(app.http().get("/api/journal/verify?fresh=true").body());
            assertEquals(false, v.path("intact").asBoolean());
            assertEquals(2, v.path("brokenAtLine").asInt());
        }
        assertArrayEquals(kept, Files.readAllBytes(seg), "the damaged segment is kept for forensics");
    }

    @Test
    void a_torn_last_record_is_cut_at_start_and_reported_and_the_chain_verifies() throws Exception {
        firstRun();
        Path seg = tmp.resolve("store/journal/journal-000001.jsonl");
        Files.write(seg, "{\"seq\":99,\"time\":\"2026-11-24T0".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            JsonNode h = journalHealth(app);
            assertEquals("ok", h.path("status").asText(), h.toString());
            assertEquals("intact", h.path("journal").path("state").asText());
            assertTrue(h.path("journal").path("repairs").get(0).asText().contains("torn last record"));
        }
    }

    @Test
    void cutting_the_tail_while_the_app_is_stopped_shows_in_health_at_the_next_start() throws Exception {
        firstRun();
        Path seg = tmp.resolve("store/journal/journal-000001.jsonl");
        List<String> lines = Files.readAllLines(seg);
        Files.write(seg, lines.subList(0, lines.size() - 2), StandardCharsets.UTF_8);
        Files.deleteIfExists(tmp.resolve("store/actions-checkpoint.json"));
        try (LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            JsonNode h = journalHealth(app);
            assertEquals("damaged", h.path("journal").path("state").asText(), h.toString());
            assertTrue(h.path("journal").path("check").path("reason").asText().contains("cut off the end"), h.toString());
        }
    }
}
