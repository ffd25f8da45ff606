package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.Json;
import safeguard.scale.ScaleSimulator;
import safeguard.TestCerts;
import safeguard.TestHttp;

class ActionRoutesTest {
    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    ActionApp a;
    ScaleSimulator scale;
    TestHttp http;
    String token;


    void start(int runningPolls, boolean dryRun) throws Exception {
        a = new ActionApp(tmp, cert, runningPolls, dryRun);
        scale = a.scale;
        http = a.http;
        token = a.token;
    }

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
    }

    HttpResponse<String> act(String body, String bearer) throws Exception {
        return a.act(body, bearer);
    }

    static String snapshot(String fileset, String key) {
        ObjectNode a = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", "scale1");
        a.putObject("context").put("rule", "Safeguard: confidential file touched off-hours").put("user", "4294967294")
                .put("path", "/ibm/gpfs01/sales/salaries-2022.csv").put("filename", "salaries-2022.csv")
                .put("eventTime", "2022-11-15T00:39:44.048-05:00");
        if (fileset != null) {
            a.put("fileset", fileset);
        }
        if (key != null) {
            a.put("idempotencyKey", key);
        }
        return a.toString();
    }

    JsonNode awaitAction(String id, Predicate<JsonNode> done) throws Exception {
        return a.awaitAction(id, done);
    }

    String journalText() throws Exception {
        return a.journalText();
    }

    @Test
    void an_action_is_accepted_at_once_and_its_timeline_journals_each_request_before_its_answer() throws Exception {
        start(2, false);
        HttpResponse<String> r = act(snapshot(null, null), token);
        assertEquals(202, r.statusCode(), r.body());
        JsonNode answer = Json.mapper().readTree(r.body());
        assertEquals("accepted", answer.get("status").asText());

        JsonNode d = awaitAction(answer.get("id").asText(), a -> a.at("/action/status").asText().equals("protected"));
        List<String> events = new ArrayList<>();
        d.get("timeline").forEach(s -> events.add(s.get("event").asText()));
        assertEquals("accepted", events.get(0));
        assertEquals("started", events.get(1));
        assertEquals("protected", events.get(events.size() - 1));
        List<String> pending = new ArrayList<>();
        for (JsonNode step : d.get("timeline")) {
            String call = step.at("/data/call").asText();
            if (step.get("event").asText().equals("request")) {
                pending.add(call);
            } else if (step.get("event").asText().equals("answer")) {
                assertTrue(pending.remove(call), "an answer follows its own request: " + step);
                assertTrue(step.get("data").has("millis") && step.get("data").has("status"), step.toString());
            }
        }
        assertEquals(List.of(), pending, "every request has its answer");
        assertTrue(events.stream().filter("request"::equals).count() >= 5, events.toString());
        JsonNode create = d.get("timeline").get(4).get("data");
        assertTrue(create.get("request").asText().startsWith("POST /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots"), create.toString());
        assertEquals(d.at("/action/result/snapshot").asText(), create.get("creates").asText(), "names what it will create");
        assertEquals(202, d.get("timeline").get(5).at("/data/status").asInt());
        String snap = d.at("/action/result/snapshot").asText();
        assertTrue(snap.startsWith("sgc-sales-"), snap);
        assertEquals(1, scale.created());
        assertTrue(d.at("/action/durationMs").asLong() >= 0);
        assertEquals("Safeguard: confidential file touched off-hours", d.at("/action/context/rule").asText());

        JsonNode list = Json.mapper().readTree(http.get("/api/actions?status=protected&target=scale1").body());
        assertEquals(1, list.get("items").size());
        assertTrue(Json.mapper().readTree(http.get("/api/journal/verify").body()).get("intact").asBoolean());
        assertFalse(journalText().contains("pw-Scale-1"), "no secret in the journal");
        assertFalse(journalText().contains(token), "no token in the journal");
    }

    @Test
    void a_burst_from_many_clients_makes_exactly_one_snapshot_and_journals_every_request() throws Exception {
        start(1, false);
        ExecutorService pool = Executors.newFixedThreadPool(20);
        List<Future<JsonNode>> answers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            answers.add(pool.submit(() -> Json.mapper().readTree(act(snapshot(null, null), token).body())));
        }
        String covering = null;
        int accepted = 0;
        int coalesced = 0;
        for (Future<JsonNode> f : answers) {
            JsonNode a = f.get();
            if (a.get("status").asText().equals("accepted")) {
                accepted++;
                covering = a.get("id").asText();
            } else {
                assertEquals("coalesced", a.get("status").asText());
                coalesced++;
            }
        }
        pool.shutdown();
        assertEquals(1, accepted);
        assertEquals(199, coalesced);
        String id = covering;
        JsonNode d = awaitAction(id, a -> a.at("/action/status").asText().equals("protected"));
        assertEquals(199, d.at("/action/coalesced").asInt());
        assertEquals(1, scale.created(), "exactly one snapshot upstream");
        JsonNode verify = Json.mapper().readTree(http.get("/api/journal/verify").body());
        assertTrue(verify.get("intact").asBoolean());
        long requestRecords = journalText().lines().filter(l -> l.contains("\"event\":\"accepted\"") || l.contains("\"event\":\"coalesced\"")).count();
        assertEquals(200, requestRecords, "every request journaled, none lost");
    }

    @Test
    void the_timeline_shows_each_request_while_the_action_waits_on_scale() throws Exception {
        start(0, false);
        var held = scale.holdAnswer("GET", "/scalemgmt/v2/jobs/.+");
        String id = Json.mapper().readTree(act(snapshot(null, null), token).body()).get("id").asText();
        held.awaitArrival();
        JsonNode live = Json.mapper().readTree(http.get("/api/actions/" + id).body());
        assertEquals("running", live.at("/action/status").asText());
        JsonNode last = live.get("timeline").get(live.get("timeline").size() - 1);
        assertEquals("request", last.get("event").asText(), "asked, answer not yet in: " + live);
        assertEquals("poll job", last.at("/data/operation").asText());
        held.release();
        awaitAction(id, a -> a.at("/action/status").asText().equals("protected"));
    }

    @Test
    void a_coalesced_answer_says_where_the_covering_action_stands_and_the_outcome_needs_the_token() throws Exception {
        start(0, false);
        String id = Json.mapper().readTree(act(snapshot(null, null), token).body()).get("id").asText();
        JsonNode done = awaitAction(id, a -> a.at("/action/status").asText().equals("protected"));
        JsonNode later = Json.mapper().readTree(act(snapshot(null, null), token).body());
        assertEquals("coalesced", later.get("status").asText());
        assertEquals("protected at " + done.at("/action/finishedAt").asText(), later.get("covering").asText(),
                "not 'under way': it ended");

        String path = "/api/actions/" + later.get("id").asText() + "/outcome";
        var request = java.net.http.HttpRequest.newBuilder(java.net.URI.create(a.url() + path));
        var client = java.net.http.HttpClient.newHttpClient();
        assertEquals(401, client.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode());
        JsonNode outcome = Json.mapper().readTree(client.send(request.header("Authorization", "Bearer " + token).build(),
                HttpResponse.BodyHandlers.ofString()).body());
        assertEquals(id, outcome.get("id").asText(), "a coalesced request's outcome is its covering action's");
        assertEquals(later.get("id").asText(), outcome.get("request").asText());
        assertEquals("protected", outcome.get("status").asText());
        assertTrue(outcome.get("finished").asBoolean());
        assertEquals(done.at("/action/result/snapshot").asText(), outcome.at("/result/snapshot").asText());
    }

    @Test
    void another_fileset_is_its_own_action_and_one_not_allowed_is_a_400() throws Exception {
        start(0, false);
        assertEquals("accepted", Json.mapper().readTree(act(snapshot(null, null), token).body()).get("status").asText());
        assertEquals("accepted", Json.mapper().readTree(act(snapshot("hr", null), token).body()).get("status").asText());
        HttpResponse<String> r = act(snapshot("finance", null), token);
        assertEquals(400, r.statusCode());
        assertEquals("fileset", Json.mapper().readTree(r.body()).get("field").asText());
    }

    @Test
    void the_same_idempotency_key_gets_the_same_answer() throws Exception {
        start(0, false);
        JsonNode first = Json.mapper().readTree(act(snapshot(null, "offense-42-rule-7"), token).body());
        JsonNode again = Json.mapper().readTree(act(snapshot(null, "offense-42-rule-7"), token).body());
        assertEquals(first, again);
        JsonNode other = Json.mapper().readTree(act(snapshot(null, "offense-43-rule-7"), token).body());
        assertNotEquals(first.get("id"), other.get("id"));
        assertEquals("coalesced", other.get("status").asText());
    }

    @Test
    void a_dry_run_target_journals_what_would_be_called_and_calls_nothing() throws Exception {
        start(0, true);
        JsonNode a = Json.mapper().readTree(act(snapshot(null, null), token).body());
        assertEquals("dry-run", a.get("status").asText());
        JsonNode d = Json.mapper().readTree(http.get("/api/actions/" + a.get("id").asText()).body());
        assertEquals("dry-run", d.at("/action/status").asText());
        String would = d.get("timeline").get(1).get("data").get("wouldCall").toString();
        assertTrue(would.contains("POST …/snapshots {snapshotName: sgc-sales-"), would);
        assertEquals(0, scale.requests().size(), "the storage system was not called");
    }

    @Test
    void missing_or_wrong_tokens_are_401_and_journaled_without_the_token() throws Exception {
        start(0, false);
        HttpResponse<String> none = act(snapshot(null, null), null);
        assertEquals(401, none.statusCode());
        assertEquals("Bearer", none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> wrong = act(snapshot(null, null), "sgr_not-the-token");
        assertEquals(401, wrong.statusCode());
        assertEquals("wrong action token", Json.mapper().readTree(wrong.body()).get("error").asText());
        String journal = journalText();
        // The client's first refusal is journaled at once; the second joins the summary written a minute later.
        assertEquals(1, journal.lines().filter(l -> l.contains("\"event\":\"unauthorized\"")).count());
        assertFalse(journal.contains("sgr_not-the-token"));
        // Nothing was asked of the storage system (readiness only reads it).
        assertEquals(0, scale.count("POST", ".*") + scale.count("PUT", ".*") + scale.count("DELETE", ".*"));
    }

    @Test
    void the_initial_token_is_shown_once_and_rotation_retires_the_old_one() throws Exception {
        start(0, false);
        assertEquals(410, http.send("POST", "/api/action-token/reveal", null).statusCode());
        String fresh = Json.mapper().readTree(http.send("POST", "/api/action-token/rotate", null).body()).get("token").asText();
        assertEquals(401, act(snapshot(null, null), token).statusCode());
        assertEquals(202, act(snapshot(null, null), fresh).statusCode());
        assertFalse(Files.readString(tmp.resolve("store/action-token.json")).contains(fresh), "stored as a hash only");
    }

    @Test
    void bad_bodies_are_400s_naming_the_field() throws Exception {
        start(0, false);
        Map<String, String> cases = Map.of(
                "{\"type\":\"nas-snapshot\",\"target\":\"scale1\"}", "type",
                "{\"type\":\"scale-snapshot\",\"target\":\"nope\"}", "target",
                "{\"type\":\"csm-backup\",\"target\":\"scale1\"}", "type",
                "{\"type\":\"scale-snapshot\",\"target\":\"scale1\",\"context\":{\"offenseId\":\"12; drop\"}}", "context.offenseId",
                "{\"type\":\"scale-snapshot\",", "body");
        for (var c : cases.entrySet()) {
            HttpResponse<String> r = act(c.getKey(), token);
            assertEquals(400, r.statusCode(), c.getKey());
            assertEquals(c.getValue(), Json.mapper().readTree(r.body()).get("field").asText(), c.getKey());
        }
        assertTrue(journalText().lines().noneMatch(l -> l.contains("\"event\":\"accepted\"")), "no partial write");
    }

    @Test
    void a_tampered_journal_no_longer_verifies() throws Exception {
        start(0, false);
        String id = Json.mapper().readTree(act(snapshot(null, null), token).body()).get("id").asText();
        awaitAction(id, a -> a.at("/action/status").asText().equals("protected"));
        assertTrue(Json.mapper().readTree(http.get("/api/journal/verify").body()).get("intact").asBoolean());
        Path file = tmp.resolve("store/journal/journal-000001.jsonl");
        String text = Files.readString(file, StandardCharsets.UTF_8);
        Files.writeString(file, text.replaceFirst("\"event\":\"started\"", "\"event\":\"startet\""), StandardCharsets.UTF_8);
        JsonNode v = Json.mapper().readTree(http.get("/api/journal/verify?fresh=true").body());
        assertFalse(v.get("intact").asBoolean());
        assertEquals("journal-000001.jsonl", v.get("brokenAtFile").asText());
    }
}
