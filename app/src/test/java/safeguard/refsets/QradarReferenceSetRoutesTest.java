package safeguard.refsets;

import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestHttp;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/** Inside QRadar the page edits QRadar's own reference sets through its API; nothing is kept locally. */
class QradarReferenceSetRoutesTest {
    static final String USERS = "/api/reference-sets/Authorized-Sales-Users";
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    /** The app in QRadar, authorised or not, used by a signed-in administrator. */
    private TestHttp start(boolean authorised) {
        app = InsideQradar.start(console, tmp.resolve("store"), Clock.systemUTC(),
                authorised ? console.service() : null, Map.of());
        console.fake().signsIn("sec-alice", "alice", true);
        return new TestHttp(app.port()).with("SEC", "sec-alice");
    }

    /** QRadar's writes to reference data, as "METHOD path" (the app's start-up provisioning writes elsewhere). */
    private List<String> writes() {
        return console.fake().requests().stream().filter(r -> !r.method().equals("GET") && r.path().contains("/reference_data"))
                .map(r -> r.method() + " " + r.path()).toList();
    }

    private long entryReads() {
        return console.fake().requests().stream().filter(r -> r.path().endsWith("/set_entries") && r.method().equals("GET"))
                .count();
    }

    @Test
    void a_value_added_and_removed_in_the_tab_goes_through_the_collections_api() throws Exception {
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", "2001", "1500.0");
        TestHttp http = start(true);
        JsonNode set = Json.mapper().readTree(http.get(USERS).body());
        assertEquals("qradar", set.get("where").asText());
        assertEquals(List.of("1500", "2001"), set.get("elements").findValuesAsText("value"), "numbers sorted as numbers");

        long entryReads = entryReads();
        var added = http.send("POST", USERS + "/elements", "{\"values\":[\"2001\",\"2050\"]}");
        assertEquals(200, added.statusCode(), added.body());
        JsonNode result = Json.mapper().readTree(added.body());
        assertEquals(1, result.get("added").asInt(), "set_entries answered 201 for 2050 and 200 for 2001");
        assertEquals(1, result.get("alreadyPresent").asInt());
        assertEquals(3, result.get("count").asInt());
        assertEquals(List.of("POST /api/reference_data_collections/set_entries",
                "POST /api/reference_data_collections/set_entries"), writes());
        assertEquals(List.of("2001", "1500.0", "2050"), console.fake().setValues("Authorized-Sales-Users"));
        assertTrue(console.fake().requests().stream().noneMatch(r -> r.path().startsWith("/api/reference_data/")),
                "no deprecated endpoint: " + console.fake().requests());
        assertEquals(entryReads, entryReads(), "adding reads no entry of the set");

        assertEquals(204, http.send("DELETE", USERS + "/elements/2001", null).statusCode());
        assertEquals(List.of("1500.0", "2050"), console.fake().setValues("Authorized-Sales-Users"));
        String deleted = writes().get(writes().size() - 1);
        assertTrue(deleted.matches("DELETE /api/reference_data_collections/set_entries/\\d+"), deleted);
        assertEquals(404, http.send("DELETE", USERS + "/elements/2001", null).statusCode(), "gone already");
        assertFalse(Files.exists(tmp.resolve("store/reference-sets")), "no local copy inside QRadar");
    }

    @Test
    void many_values_go_in_one_bulk_update_whose_task_and_results_say_which_were_new() throws Exception {
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", "3000", "3001");
        TestHttp http = start(true);
        StringBuilder csv = new StringBuilder();
        for (int i = 0; i < 25; i++) {
            csv.append(2990 + i).append('\n'); // 3000 and 3001 are there already
        }
        var r = http.send("POST", USERS + "/import", csv.toString());
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = Json.mapper().readTree(r.body());
        assertEquals(23, result.get("added").asInt());
        assertEquals(2, result.get("alreadyPresent").asInt());
        assertEquals(25, result.get("count").asInt());
        assertEquals(List.of("PATCH /api/reference_data_collections/set_entries"), writes());
        assertTrue(console.fake().requests().stream().anyMatch(q -> q.path().matches(
                "/api/reference_data_collections/set_bulk_update_tasks/\\d+/results")), "results read after the task");
        assertEquals(25, console.fake().setValues("Authorized-Sales-Users").size());
    }

    @Test
    void a_value_reaches_qradar_as_a_filter_literal_and_a_dot_segment_never_leaves_the_app() {
        String odd = "q4 \"plan\"/2024?#%\\.xlsx";
        console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN", "keep.csv");
        TestHttp http = start(true);
        assertEquals(200, http.send("POST", "/api/reference-sets/Confidential-Files/elements",
                Json.mapper().createObjectNode().set("values", Json.mapper().valueToTree(List.of(odd))).toString()).statusCode());
        assertEquals(2, console.fake().setValues("Confidential-Files").size());
        assertEquals(204, http.send("DELETE", "/api/reference-sets/Confidential-Files/elements/"
                + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), null).statusCode());
        assertEquals(List.of("keep.csv"), console.fake().setValues("Confidential-Files"));

        assertEquals(400, http.send("DELETE", "/api/reference-sets/Confidential-Files/elements/%2E%2E", null).statusCode());
        assertEquals(400, http.send("POST", "/api/reference-sets/Confidential-Files/elements", "{\"values\":[\"..\"]}").statusCode());
        assertTrue(console.fake().requests().stream().noneMatch(r -> r.method().equals("DELETE") && r.path().endsWith("/..")),
                "no dot segment reached QRadar");
    }

    @Test
    void a_bad_import_never_reaches_qradar() {
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", "2001");
        TestHttp http = start(true);
        var bad = http.send("POST", USERS + "/import", "2060\n2061\nroot\n");
        assertEquals(400, bad.statusCode());
        assertTrue(bad.body().contains("line 3"), bad.body());
        console.wireMock().verify(0, postRequestedFor(urlPathMatching("/api/reference_data/sets/bulk_load/.*")));
    }

    @Test
    void before_authorisation_or_provisioning_the_page_says_what_is_missing() throws Exception {
        TestHttp unauthorised = start(false);
        var r = unauthorised.get(USERS);
        assertEquals(502, r.statusCode());
        assertTrue(Json.mapper().readTree(r.body()).get("error").asText().contains("not authorised with QRadar yet"), r.body());
        app.stop();

        TestHttp authorised = start(true); // authorised, but the set was not created (yet)
        var missing = authorised.get(USERS);
        assertEquals(404, missing.statusCode());
        assertTrue(missing.body().contains("content provisioning"), missing.body());
    }

    @Test
    void a_set_is_read_page_by_page_with_a_cursor_or_a_range_and_each_page_is_one_bounded_slice() throws Exception {
        String[] many = new String[2_345];
        for (int i = 0; i < many.length; i++) {
            many[i] = Integer.toString(10_000 + i);
        }
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", many);
        TestHttp http = start(true);
        java.util.Set<String> seen = new java.util.HashSet<>();
        String cursor = null;
        int pages = 0;
        do {
            JsonNode page = Json.mapper().readTree(http.get(USERS + "?limit=1000" + (cursor == null ? "" : "&cursor=" + cursor)).body());
            assertEquals(many.length, page.get("count").asInt());
            assertTrue(page.get("elements").size() <= 1000);
            page.get("elements").findValuesAsText("value").forEach(seen::add);
            cursor = page.hasNonNull("next") ? page.get("next").asText() : null;
            pages++;
        } while (cursor != null);
        assertEquals(3, pages);
        assertEquals(many.length, seen.size(), "every element once over the pages");
        assertTrue(console.fake().requests().stream().filter(r -> r.path().endsWith("/set_entries")).count() == 3,
                "one QRadar slice per page");

        var ranged = http.with("Range", "items=2340-9999").get(USERS);
        assertEquals(200, ranged.statusCode(), ranged.body());
        assertEquals("items 2340-2344/2345", ranged.headers().firstValue("Content-Range").orElse(null));
        assertEquals(List.of("12340", "12341", "12342", "12343", "12344"),
                Json.mapper().readTree(ranged.body()).get("elements").findValuesAsText("value"));

        assertEquals("limit", Json.mapper().readTree(http.get(USERS + "?limit=1001").body()).get("field").asText(),
                "no page larger than 1000");
        assertEquals("cursor", Json.mapper().readTree(http.get(USERS + "?cursor=-1").body()).get("field").asText());
    }
}
