package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestCerts;

/** What the tab's live pages poll: each answer has an ETag, and asking again with it is a 304 until something changed. */
class PollingRoutesTest {
    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    ActionApp a;

    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
    }

    private String etagOf(String path) {
        HttpResponse<String> r = a.http.get(path);
        assertEquals(200, r.statusCode(), r.body());
        return r.headers().firstValue("ETag").orElseThrow(() -> new AssertionError(path + " has no ETag"));
    }

    private HttpResponse<String> pollWith(String path, String etag) {
        return a.http.with("If-None-Match", etag).get(path);
    }

    @Test
    void the_overview_the_actions_list_and_a_timeline_answer_304_until_an_action_changes_them() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        String first = Json.mapper().readTree(a.act(ActionRoutesTest.snapshot(null, null), a.token).body()).get("id").asText();
        a.awaitAction(first, d -> d.at("/action/status").asText().equals("protected"));

        String overview = etagOf("/api/overview");
        String list = etagOf("/api/actions?limit=50");
        String timeline = etagOf("/api/actions/" + first);
        // The Overview says when it was made on every call; that alone is no change.
        HttpResponse<String> same = pollWith("/api/overview", overview);
        assertEquals(304, same.statusCode(), same.body());
        assertEquals("", same.body());
        assertEquals(overview, same.headers().firstValue("ETag").orElse(null));
        assertEquals(304, pollWith("/api/actions?limit=50", list).statusCode());
        assertEquals(304, pollWith("/api/actions/" + first, timeline).statusCode());
        assertEquals(304, pollWith("/api/actions?limit=50", "\"other\", W/" + list).statusCode(), "a list of tags, weak or not");

        // A second trigger joins the first: the list and the first action's timeline change, and so does the Overview.
        a.act(ActionRoutesTest.snapshot(null, null), a.token);
        a.awaitAction(first, d -> d.at("/action/coalesced").asInt() == 1);
        HttpResponse<String> changed = pollWith("/api/overview", overview);
        assertEquals(200, changed.statusCode());
        assertNotEquals(overview, changed.headers().firstValue("ETag").orElseThrow());
        JsonNode now = Json.mapper().readTree(changed.body());
        assertTrue(now.get("generatedAt").isTextual(), "the whole report, not a diff: " + now);
        assertEquals(200, pollWith("/api/actions?limit=50", list).statusCode());
        assertEquals(200, pollWith("/api/actions/" + first, timeline).statusCode());
        assertEquals(200, a.http.with("If-None-Match", "\"stale\"").get("/api/overview").statusCode());
    }
}
