package safeguard.qradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import safeguard.Json;

/** The fake's offenses, notes and rules keep to what API 26.0's pages document, and refuse what they do not. */
class OffensePagesTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    OffensePages offenses;
    long first;

    @BeforeEach
    void offenses() {
        offenses = console.fake().offenses();
        offenses.rule(100123, "Ransomware", true);
        first = offenses.create(100123, offenses.now() - 1000, "jdoe");
        for (int i = 0; i < 4; i++) {
            offenses.advance(10);
            offenses.create(100123, offenses.now(), null);
        }
    }

    private HttpResponse<String> get(String path, String range) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.baseUrl() + "/api" + path))
                .header("SEC", FakeConsole.TOKEN).header("Version", "26.0").header("Accept", "application/json");
        if (range != null) {
            b.header("Range", range);
        }
        return HttpClient.newBuilder().sslContext(ConsoleExtension.trust()).build()
                .send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String q(String v) {
        return URLEncoder.encode(v, StandardCharsets.UTF_8);
    }

    private String violations() {
        return console.fake().takeViolations().toString();
    }

    @Test
    void offenses_are_filtered_on_filterable_fields_sorted_on_sortable_ones_and_sliced_by_range() throws Exception {
        long third = offenses.now() - 20;
        var r = get("/siem/offenses?fields=id,last_persisted_time&sort=" + q("-last_persisted_time")
                + "&filter=" + q("last_persisted_time >= " + third), "items=0-1");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode rows = Json.mapper().readTree(r.body());
        assertEquals(2, rows.size());
        assertEquals(offenses.now(), rows.get(0).get("last_persisted_time").asLong());
        assertEquals(2, rows.get(0).size(), "only the fields asked for");
        assertEquals("items 0-1/3", r.headers().firstValue("Content-Range").orElseThrow());
    }

    @Test
    void a_filter_or_sort_on_a_field_the_page_does_not_mark_is_a_422_and_a_violation() throws Exception {
        var filter = get("/siem/offenses?filter=" + q("offense_source = \"jdoe\""), null);
        assertEquals(422, filter.statusCode());
        assertEquals(1010, Json.mapper().readTree(filter.body()).get("code").asInt());
        assertTrue(violations().contains("not mark Filterable"));
        var sort = get("/siem/offenses?sort=" + q("+destination_networks"), null);
        assertEquals(422, sort.statusCode());
        assertEquals(1030, Json.mapper().readTree(sort.body()).get("code").asInt());
        assertTrue(violations().contains("not mark Sortable"));
        var notes = get("/siem/offenses/" + first + "/notes?filter=" + q("id > 1"), null);
        assertEquals(422, notes.statusCode());
        assertTrue(violations().contains("marks no Note field Filterable"));
        var rules = get("/analytics/rules?filter=" + q("enabled = true"), null);
        assertEquals(422, rules.statusCode());
        assertTrue(violations().contains("marks no rule field Filterable"));
    }

    @Test
    void notes_of_an_unknown_offense_are_404_1002_and_a_role_without_offenses_is_403() throws Exception {
        var unknown = get("/siem/offenses/999999/notes", "items=0-49");
        assertEquals(404, unknown.statusCode());
        assertEquals(1002, Json.mapper().readTree(unknown.body()).get("code").asInt());
        assertEquals(200, get("/siem/offenses/" + first + "/notes", "items=0-49").statusCode());
        offenses.withhold("SEM");
        assertEquals(403, get("/siem/offenses", "items=0-49").statusCode());
        assertEquals(403, get("/analytics/rules", "items=0-49").statusCode());
    }
}
