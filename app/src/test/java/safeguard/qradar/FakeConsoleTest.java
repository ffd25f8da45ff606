package safeguard.qradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The strict console refuses what IBM's pages do not document — each case here is a call the app's earlier
 * client made — and records it, so that a test making such a call fails.
 */
class FakeConsoleTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    private HttpResponse<String> send(String method, String path, String version, String accept, String type, String body)
            throws Exception {
        HttpClient http = HttpClient.newBuilder().sslContext(ConsoleExtension.trust()).build();
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(console.baseUrl() + "/api" + path))
                .header("SEC", FakeConsole.TOKEN)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (version != null) {
            b.header("Version", version);
        }
        if (accept != null) {
            b.header("Accept", accept);
        }
        if (type != null) {
            b.header("Content-Type", type);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private String rules() {
        return console.fake().takeViolations().toString();
    }

    @Test
    void an_old_pinned_version_is_answered_but_flagged_deprecated() throws Exception {
        var r = send("GET", "/reference_data/sets", "17.0", "application/json", null, null);
        assertEquals(200, r.statusCode());
        assertEquals("true", r.headers().firstValue("Deprecated").orElseThrow());
        assertTrue(rules().contains("deprecated Version 17.0"));
    }

    @Test
    void the_pre_26_bulk_load_path_does_not_exist() throws Exception {
        console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN");
        var r = send("POST", "/reference_data/sets/bulk_load/Confidential-Files", "26.0", "application/json",
                "application/json", "[\"a.csv\"]");
        assertEquals(404, r.statusCode());
        assertTrue(rules().contains("no page of API 26.0 documents POST"));
        assertEquals(List.of(), console.fake().setValues("Confidential-Files"));
    }

    @Test
    void a_delete_that_answers_text_plain_refuses_an_accept_of_json_only() throws Exception {
        var r = send("DELETE", "/analytics/custom_actions/actions/5", "26.0", "application/json", null, null);
        assertEquals(406, r.statusCode());
        assertTrue(rules().contains("excludes the page's MIME type text/plain"));
    }

    @Test
    void a_custom_action_update_without_interpreter_and_script_is_refused() throws Exception {
        var r = send("POST", "/analytics/custom_actions/actions/5", "26.0", "application/json", "application/json",
                "{\"parameters\":[]}");
        assertEquals(422, r.statusCode());
        String v = rules();
        assertTrue(v.contains("required body field"), v);
    }

    @Test
    void qid_records_never_match_a_filter_on_their_log_source_type() {
        QradarClient q = console.service();
        long lst = q.post("/config/event_sources/log_source_management/log_source_types", Map.of(),
                Map.of("name", "T", "protocol_types", List.of(Map.of("protocol_id", 0)))).get("id").asLong();
        var created = q.post("/data_classification/qid_records", Map.of(), Map.of("log_source_type_id", lst,
                "name", "Q", "low_level_category_id", 8001));
        assertTrue(created.get("log_source_type_id").isNull(), "a placeholder with null value");
        assertEquals(0, q.get("/data_classification/qid_records", Map.of("filter", "log_source_type_id=" + lst)).size());
        assertEquals(1, q.get("/data_classification/qid_records", Map.of("filter", "name=\"Q\"")).size());
    }

    @Test
    void a_simple_date_format_is_required_and_fields_is_a_header_on_creates() throws Exception {
        var r = send("POST", "/config/event_sources/custom_properties/regex_properties?fields=id", "26.0",
                "application/json", "application/json", "{\"name\":\"t\",\"property_type\":\"time\","
                        + "\"datetime_format\":\"yyyy-MM-dd[.SSS]\",\"locale\":\"en-US\"}");
        assertEquals(422, r.statusCode());
        String v = rules();
        assertTrue(v.contains("query parameter 'fields' is not documented (the page has it as a header)"), v);
        assertTrue(v.contains("datetime_format is no SimpleDateFormat pattern"), v);
    }

    @Test
    void reference_set_parameters_belong_in_the_query_and_a_taken_name_is_409() {
        QradarClient q = console.service();
        q.post("/reference_data/sets", Map.of("name", "S", "element_type", "ALN"), null);
        QradarException e = assertThrows(QradarException.class,
                () -> q.post("/reference_data/sets", Map.of("name", "S", "element_type", "ALN"), null));
        assertEquals(409, e.status());
        assertThrows(QradarException.class, () -> q.post("/reference_data/sets", Map.of(), Map.of("name", "S2")));
        String v = rules();
        assertTrue(v.contains("required query parameter"), v);
    }

    @Test
    void a_dynamic_parameter_must_name_an_events_column() {
        QradarClient q = console.service();
        long script = q.upload("/analytics/custom_actions/scripts", "s.py", new byte[] {'#'}).get("id").asLong();
        QradarException e = assertThrows(QradarException.class, () -> q.post("/analytics/custom_actions/actions",
                Map.of(), Map.of("name", "A", "interpreter", 2, "script", script, "parameters", List.of(Map.of(
                        "name", "f", "parameter_type", "dynamic", "encrypted", false, "value", "Filename")))));
        assertEquals(422, e.status());
        assertTrue(rules().contains("no column of the events database"));
    }
}
