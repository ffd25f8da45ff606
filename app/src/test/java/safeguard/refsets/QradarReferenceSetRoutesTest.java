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

    @Test
    void elements_are_read_added_and_removed_in_qradar() throws Exception {
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", "2001", "1500.0");
        TestHttp http = start(true);
        JsonNode set = Json.mapper().readTree(http.get(USERS).body());
        assertEquals("qradar", set.get("where").asText());
        assertEquals(List.of("1500", "2001"), set.get("elements").findValuesAsText("value"), "numbers sorted as numbers");

        var added = http.send("POST", USERS + "/elements", "{\"values\":[\"2001\",\"2050\"]}");
        assertEquals(200, added.statusCode(), added.body());
        assertEquals(1, Json.mapper().readTree(added.body()).get("added").asInt());
        console.wireMock().verify(1, postRequestedFor(
                urlPathMatching("/api/reference_data/sets/bulk_load/SHARED/Authorized-Sales-Users/SHARED")));
        assertEquals(List.of("2001", "1500.0", "2050"),
                console.fake().setValues("Authorized-Sales-Users"));

        assertEquals(204, http.send("DELETE", USERS + "/elements/2001", null).statusCode());
        assertEquals(List.of("1500.0", "2050"),
                console.fake().setValues("Authorized-Sales-Users"));
        assertFalse(Files.exists(tmp.resolve("store/reference-sets.json")), "no local copy inside QRadar");
    }

    @Test
    void a_value_reaches_qradars_url_encoded_and_a_dot_segment_never_leaves_the_app() {
        String odd = "q4 plan/2024?#%.xlsx";
        console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN", odd, "keep.csv");
        TestHttp http = start(true);
        assertEquals(204, http.send("DELETE", "/api/reference-sets/Confidential-Files/elements/"
                + java.net.URLEncoder.encode(odd, java.nio.charset.StandardCharsets.UTF_8).replace("+", "%20"), null).statusCode());
        console.wireMock().verify(1, com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor(
                com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo(
                        "/api/reference_data/sets/Confidential-Files/q4%20plan%2F2024%3F%23%25.xlsx")));
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
    void a_set_longer_than_the_consoles_first_slice_is_read_whole() throws Exception {
        String[] many = new String[2_345];
        for (int i = 0; i < many.length; i++) {
            many[i] = Integer.toString(10_000 + i);
        }
        console.fake().adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", many);
        TestHttp http = start(true);
        JsonNode set = Json.mapper().readTree(http.get(USERS).body());
        assertEquals(many.length, set.get("elements").size(), "read in Range slices, not cut at the first one");
    }
}
