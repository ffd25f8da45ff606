package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.TestHttp;

/** No 500 from input: every wrong body is a 400 naming the field, and Jetty's own refusals speak the same JSON. */
class InputErrorsTest {
    static final String FILES = "/api/reference-sets/Confidential-Files";
    @TempDir
    Path tmp;
    LocalApp app;
    TestHttp http;

    @BeforeEach
    void start() {
        app = LocalApp.start(tmp.resolve("store"));
        http = app.http();
    }

    @AfterEach
    void stop() {
        app.close();
    }

    static ObjectNode scale() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale1").put("host", "scale.example.com")
                .put("username", "snapadmin").put("password", "pw");
        t.putObject("scale").put("fileSystem", "gpfs01").putArray("filesets").add("sales");
        return t;
    }

    static ObjectNode csm() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "csm").put("name", "csm1").put("host", "csm.example.com").put("username", "u").put("password", "p");
        t.putObject("csm").put("session", "SGC_DB1");
        return t;
    }

    static ObjectNode cdm() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "cdm").put("name", "cdm1").put("host", "cdm.example.com").put("username", "u").put("password", "p");
        t.putObject("cdm").put("jobName", "SQL restore");
        return t;
    }

    private static String field(HttpResponse<String> r) throws Exception {
        assertEquals(400, r.statusCode(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
        return Json.mapper().readTree(r.body()).path("field").asText();
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "POST, /api/targets",
            "PUT, /api/targets/scale1",
            "PUT, /api/settings",
            "POST, " + FILES + "/elements",
            "POST, /api/session",
    })
    void a_null_body_is_a_400_naming_the_body(String method, String path) throws Exception {
        if (path.equals("/api/targets/scale1")) {
            http.send("POST", "/api/targets", scale().toString());
        }
        assertEquals("body", field(http.send(method, path, "null")));
    }

    @Test
    void an_action_with_a_null_body_or_without_type_is_a_400_naming_it() throws Exception {
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        TestHttp caller = new TestHttp(app.app().port()).with("Authorization", "Bearer " + token);
        assertEquals("body", field(caller.send("POST", "/api/actions", "null")));
        assertEquals("type", field(caller.send("POST", "/api/actions", "{\"target\":\"scale1\"}")));
        assertEquals("type", field(caller.send("POST", "/api/actions", "{\"type\":null}")));
        assertEquals("context.rule", field(caller.send("POST", "/api/actions", "{\"type\":\"scale-snapshot\",\"context\":{\"rule\":[1]}}")));
    }

    @Test
    void nulls_inside_a_targets_lists_are_named_by_index() throws Exception {
        ObjectNode s = scale();
        s.withArray("/scale/filesets").addNull();
        assertEquals("scale.filesets[1]", field(http.send("POST", "/api/targets", s.toString())));
        ObjectNode c = csm();
        c.withObject("/csm").putArray("allowedSessions").addNull();
        assertEquals("csm.allowedSessions[0]", field(http.send("POST", "/api/targets", c.toString())));
        ObjectNode d = cdm();
        d.withObject("/cdm").putArray("allowedJobs").add("Other restore").addNull();
        assertEquals("cdm.allowedJobs[1]", field(http.send("POST", "/api/targets", d.toString())));
    }

    @Test
    void allowed_sessions_and_jobs_are_checked_like_the_other_names() throws Exception {
        ObjectNode c = csm();
        c.withObject("/csm").putArray("allowedSessions").add("SGC_DB2").add("..");
        assertEquals("csm.allowedSessions[1]", field(http.send("POST", "/api/targets", c.toString())));
        c.withObject("/csm").putArray("allowedSessions").add("bad\u0001name");
        assertEquals("csm.allowedSessions[0]", field(http.send("POST", "/api/targets", c.toString())));
        c.withObject("/csm").put("session", ".").remove("allowedSessions");
        assertEquals("csm.session", field(http.send("POST", "/api/targets", c.toString())));
        ObjectNode d = cdm();
        d.withObject("/cdm").putArray("allowedJobs").add("x".repeat(129));
        assertEquals("cdm.allowedJobs[0]", field(http.send("POST", "/api/targets", d.toString())));
        d.withObject("/cdm").put("jobName", "..").remove("allowedJobs");
        assertEquals("cdm.jobName", field(http.send("POST", "/api/targets", d.toString())));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "port|1.5|port",
            "port|\"443\"|port",
            "port|99999999999999999999|port",
            "port|true|port",
            "dryRun|123|dryRun",
            "dryRun|\"true\"|dryRun",
            "name|5|name",
            "tls|\"verify\"|tls",
            "scale|[]|scale",
            "scale.filesets|\"sales\"|scale.filesets",
            "scale.retentionHours|1e2|scale.retentionHours",
            "scale.filesets|[1]|scale.filesets[0]",
    })
    void a_wrong_type_is_refused_by_name_and_never_coerced(String path, String json, String field) throws Exception {
        ObjectNode t = scale();
        ObjectNode node = t;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        node.set(parts[parts.length - 1], Json.mapper().readTree(json));
        assertEquals(field, field(http.send("POST", "/api/targets", t.toString())));
        assertEquals(404, http.get("/api/targets/scale1").statusCode(), "nothing was stored");
    }

    @Test
    void settings_and_sign_in_refuse_wrong_types_by_name() throws Exception {
        assertEquals("coalesceWindowSeconds", field(http.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":2.5}")));
        assertEquals("dryRunAll", field(http.send("PUT", "/api/settings", "{\"dryRunAll\":1}")));
        assertEquals("logSourceHosts[0]", field(http.send("PUT", "/api/settings", "{\"logSourceHosts\":[null]}")));
        assertEquals("token", field(new TestHttp(app.app().port()).send("POST", "/api/session", "{\"token\":42}")));
        assertEquals("values", field(http.send("POST", FILES + "/elements", "{\"values\":\"x.csv\"}")));
    }

    @Test
    void dot_values_never_enter_a_reference_set_nor_its_url() throws Exception {
        assertEquals("values[1]", field(http.send("POST", FILES + "/elements", "{\"values\":[\"a.csv\",\"..\"]}")));
        assertEquals("values[0]", field(http.send("POST", FILES + "/elements", "{\"values\":[\".\"]}")));
        assertEquals("csv", field(http.send("POST", FILES + "/import", "a.csv\n..\n")));
        assertEquals("value", field(http.send("DELETE", FILES + "/elements/%2e%2e", null)));
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "GET /api/targets/%00 HTTP/1.1",
            "GET /api/targets/%ff HTTP/1.1",
            "GET /api/%2e%2e/debug HTTP/1.1",
            "GET /api/targets/a%2fb%2f%2e%2e HTTP/1.1",
            "GET /api/targets/%zz HTTP/1.1",
            "GET /api/tar gets HTTP/1.1",
            "GET http://[::1 HTTP/1.1",
            "BREW /debug HTTP/1.1",
            "GET /debug HTTP/9.9",
    })
    void jettys_own_refusals_are_the_apis_json(String requestLine) throws Exception {
        assertJsonError(raw(requestLine + "\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"PUT", "DELETE", "POST", "PATCH", "OPTIONS"})
    void jettys_own_refusals_carry_the_json_body_and_the_security_headers_on_every_method(String method) throws Exception {
        String answer = raw(method + " /api/targets/a%00b HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
        assertJsonError(answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("x-content-type-options: nosniff"), answer);
    }

    @ParameterizedTest(name = "host {0}")
    @ValueSource(strings = {"::1]", "[::1", "[scale.example]", "https://scale.example", "scale.example/x",
            "scale.example:443", "[[::1]]", "1.2.3.4.5:6", "::1%eth0"})
    void a_host_that_is_neither_a_name_nor_an_ip_literal_is_a_400_naming_host(String host) throws Exception {
        ObjectNode t = scale().put("host", host);
        assertEquals("host", field(http.send("POST", "/api/targets", t.toString())));
        assertEquals(404, http.get("/api/targets/scale1").statusCode(), "nothing was stored");
    }

    @ParameterizedTest(name = "host {0} is stored as {1}")
    @CsvSource({"[::1], ::1", "::1, ::1", "[2001:db8::7], 2001:db8::7", "10.0.0.7, 10.0.0.7", "scale.example, scale.example"})
    void an_ip_literal_is_stored_bare_and_a_name_as_it_is(String host, String stored) throws Exception {
        assertEquals(201, http.send("POST", "/api/targets", scale().put("host", host).toString()).statusCode());
        assertEquals(stored, Json.mapper().readTree(http.get("/api/targets/scale1").body()).get("host").asText());
        assertEquals(200, http.send("PUT", "/api/targets/scale1", scale().put("host", host).toString()).statusCode());
    }

    @Test
    void anything_after_the_json_body_is_a_400_and_nothing_is_taken() throws Exception {
        assertEquals("body", field(http.send("POST", "/api/targets", scale() + " xyz")));
        assertEquals("body", field(http.send("POST", "/api/targets", scale().toString() + scale())));
        assertEquals(404, http.get("/api/targets/scale1").statusCode(), "nothing was stored");
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        TestHttp caller = new TestHttp(app.app().port()).with("Authorization", "Bearer " + token);
        assertEquals("body", field(caller.send("POST", "/api/actions", "{\"type\":\"scale-snapshot\",\"target\":\"scale1\"} xyz")));
        assertEquals("body", field(caller.send("POST", "/api/actions", "{\"type\":\"scale-snapshot\"}{\"type\":\"scale-snapshot\"}")));
        assertEquals("body", field(http.send("PUT", "/api/settings", "{} []")));
    }

    @Test
    void an_unknown_field_in_settings_or_a_target_is_a_400_naming_it() throws Exception {
        var r = http.send("PUT", "/api/settings", "{\"dryRunAl\":true}");
        assertEquals("dryRunAl", field(r));
        assertTrue(r.body().contains("dryRunAl is not a field"), r.body());
        assertEquals("retentionHour", field(http.send("POST", "/api/targets", scale().put("retentionHour", 5).toString())));
        ObjectNode nested = scale();
        nested.withObject("/scale").put("fileSytem", "gpfs02");
        assertEquals("scale.fileSytem", field(http.send("POST", "/api/targets", nested.toString())));
        assertEquals(404, http.get("/api/targets/scale1").statusCode(), "nothing was stored");
    }

    @Test
    void bidirectional_control_characters_are_refused_by_name() throws Exception {
        assertEquals("values[1]", field(http.send("POST", FILES + "/elements", "{\"values\":[\"a.csv\",\"x\\u202egpj.exe\"]}")));
        assertEquals("values[0]", field(http.send("POST", FILES + "/elements", "{\"values\":[\"x\u2067y\"]}")));
        assertEquals("name", field(http.send("POST", "/api/targets", scale().put("name", "scale\u202e1").toString())));
        http.send("POST", "/api/targets", scale().put("dryRun", true).toString());
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        TestHttp caller = new TestHttp(app.app().port()).with("Authorization", "Bearer " + token);
        assertEquals("context.filename", field(caller.send("POST", "/api/actions",
                "{\"type\":\"scale-snapshot\",\"target\":\"scale1\",\"context\":{\"filename\":\"x\u202egpj.exe\"}}")));
    }

    @Test
    void a_bidi_control_in_a_csv_import_is_refused_by_line_and_nothing_is_imported() throws Exception {
        var r = http.send("POST", FILES + "/import", "first-new.csv\nx\u202egpj.exe\n");
        assertEquals("csv", field(r));
        assertTrue(r.body().contains("line 2") && r.body().contains("bidirectional"), r.body());
        assertFalse(http.get(FILES + "?limit=1000").body().contains("first-new.csv"), "nothing was imported");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource({
            "DELETE, " + FILES + "/elements/x%E2%80%AEgpj.exe, value",
            "GET, /api/reference-sets/Confidential%E2%80%AE-Files, name",
            "POST, /api/reference-sets/Confidential%E2%81%A7-Files/elements, name",
            "POST, /api/reference-sets/Confidential%E2%80%8F-Files/import, name",
            "GET, /api/targets/scale%E2%80%AE1, name",
            "PUT, /api/targets/scale%E2%80%AE1, name",
            "DELETE, /api/targets/scale%E2%80%AE1, name",
            "POST, /api/targets/scale%E2%80%AE1/test, name",
            "PUT, /api/readiness/drills/weekly%E2%80%AE, name",
            "DELETE, /api/readiness/drills/weekly%E2%80%AE, name",
            "GET, /api/actions/a%D8%9C1, id",
            "POST, /api/recoveries/r%E2%80%AE1/end, id",
    })
    void a_bidi_control_in_a_path_parameter_is_a_400_naming_it(String method, String path, String param) throws Exception {
        http.send("POST", "/api/targets", scale().toString());
        String body = path.endsWith("/import") ? "a.csv\n" : path.contains("/targets/") ? scale().toString()
                : path.endsWith("/elements") ? "{\"values\":[\"a.csv\"]}" : path.contains("/drills/") || path.endsWith("/end") ? "{}" : null;
        var r = http.send(method, path, body);
        assertEquals(param, field(r));
        assertTrue(r.body().contains("bidirectional"), r.body());
    }

    @ParameterizedTest(name = "eventTime {0}")
    @ValueSource(strings = {"yesterday", "+999999999-12-31T23:59:59Z", "0000-01-01T00:00:00Z", "2010-01-01T00:00:00Z",
            "2099-01-01T00:00:00Z", "2022-11-15_00:39:44.048-0500", "17000000000000", "tomorrow 10:00"})
    void an_event_time_that_is_not_an_iso_instant_of_the_last_ten_years_is_a_400_naming_it(String time) throws Exception {
        http.send("POST", "/api/targets", scale().put("dryRun", true).toString());
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        TestHttp caller = new TestHttp(app.app().port()).with("Authorization", "Bearer " + token);
        ObjectNode body = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", "scale1");
        body.putObject("context").put("eventTime", time);
        assertEquals("context.eventTime", field(caller.send("POST", "/api/actions", body.toString())));
        body.putObject("context").put("eventTime", java.time.Instant.now().minusSeconds(60).toString());
        assertEquals(202, caller.send("POST", "/api/actions", body.toString()).statusCode(), "a time of a minute ago is taken");
    }

    @Test
    void headers_over_the_bound_are_refused_as_json() throws Exception {
        String huge = "x".repeat(ServerLimits.REQUEST_HEADER_BYTES + 1);
        String answer = raw("GET /debug HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: " + huge + "\r\nConnection: close\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 431"), answer);
        assertJsonError(answer);
    }

    private static void assertJsonError(String answer) throws Exception {
        int status = Integer.parseInt(answer.substring(9, 12));
        assertTrue(status >= 400 && status < 500 || status == 505, answer);
        assertTrue(answer.toLowerCase(java.util.Locale.ROOT).contains("content-type: application/json"), answer);
        JsonNode body = Json.mapper().readTree(answer.substring(answer.indexOf("\r\n\r\n") + 4));
        assertEquals(status, body.get("status").asInt(), answer);
        assertFalse(answer.contains("<html"), answer);
    }

    private String raw(String request) throws IOException {
        try (Socket s = new Socket("127.0.0.1", app.app().port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
            s.getOutputStream().flush();
            InputStream in = s.getInputStream();
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
