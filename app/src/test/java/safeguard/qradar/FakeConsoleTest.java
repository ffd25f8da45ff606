package safeguard.qradar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
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
        assertTrue(rules().contains("was replaced in API 17.0; Version 26.0 has no such endpoint"), rules());
        assertEquals(List.of(), console.fake().setValues("Confidential-Files"));
    }

    @Test
    void a_deprecated_reference_data_call_is_answered_but_fails_the_test_at_a_version_that_has_collections() throws Exception {
        console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN", "a.csv");
        var r = send("GET", "/reference_data/sets/Confidential-Files", "26.0", "application/json", null, null);
        assertEquals(200, r.statusCode());
        assertTrue(rules().contains("endpoint DEPRECATED in 26.0; use /reference_data_collections/*"), rules());
        console.fake().offersVersions("15.0");
        send("GET", "/reference_data/sets/Confidential-Files", "15.0", "application/json", null, null);
        var collections = send("GET", "/reference_data_collections/sets", "15.0", "application/json", null, null);
        assertEquals(404, collections.statusCode(), "no collections before 16.0");
        List<String> v = console.fake().takeViolations().stream().map(Object::toString).toList();
        assertEquals(1, v.size(), "before 16.0 the legacy endpoint is the only one: " + v);
        assertTrue(v.get(0).contains("exists from API 16.0 on"), v.toString());
    }

    @Test
    void collections_address_sets_and_entries_by_id_and_answer_the_documented_codes() throws Exception {
        QradarClient q = console.service();
        var created = q.post("/reference_data_collections/sets", Map.of(), Map.of("name", "S", "entry_type", "NUM"));
        long id = created.get("id").asLong();
        assertEquals("NO_EXPIRY", created.get("expiry_type").asText());
        QradarException taken = assertThrows(QradarException.class, () -> q.post("/reference_data_collections/sets",
                Map.of(), Map.of("name", "S", "entry_type", "ALN")));
        assertEquals(409, taken.status());
        assertEquals(10006, taken.code());
        QradarException noType = assertThrows(QradarException.class, () -> q.post("/reference_data_collections/sets",
                Map.of(), Map.of("name", "T")));
        assertEquals(10001, noType.code());

        assertEquals(201, q.postWithStatus("/reference_data_collections/set_entries", Map.of(),
                Map.of("collection_id", id, "value", "2001")).status());
        assertEquals(200, q.postWithStatus("/reference_data_collections/set_entries", Map.of(),
                Map.of("collection_id", id, "value", "2001.0")).status(), "the same NUM: updated, not added");
        QradarException misfit = assertThrows(QradarException.class, () -> q.postWithStatus(
                "/reference_data_collections/set_entries", Map.of(), Map.of("collection_id", id, "value", "root")));
        assertEquals(20006, misfit.code());
        var entry = q.getRange("/reference_data_collections/set_entries", Map.of("filter", "collection_id=" + id
                + " and value=\"2001\"", "entry_type", "NUM"), 0, 9);
        assertEquals(1, entry.size());
        q.delete("/reference_data_collections/set_entries/" + entry.get(0).get("id").asLong());
        QradarException gone = assertThrows(QradarException.class,
                () -> q.delete("/reference_data_collections/set_entries/" + entry.get(0).get("id").asLong()));
        assertEquals(22001, gone.code());

        var task = q.patchAndWait("/reference_data_collections/set_entries", List.of(
                Map.of("collection_id", id, "value", "7"), Map.of("collection_id", id, "value", "x")),
                "/reference_data_collections/set_bulk_update_tasks");
        var results = q.get("/reference_data_collections/set_bulk_update_tasks/" + task.get("id").asLong() + "/results", Map.of());
        assertEquals("PARTIAL_UPDATE_PERFORMED", results.get("status").asText());
        assertEquals(List.of("7"), console.fake().setValues("S"));

        q.deleteAndWait("/reference_data_collections/sets/" + id, "/reference_data_collections/set_delete_tasks");
        assertFalse(console.fake().hasSet("S"));
        assertTrue(console.fake().takeViolations().stream().allMatch(x -> x.rule().contains("missing")
                || x.rule().contains("is not a NUM value")), "only the malformed requests broke the pages");
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
