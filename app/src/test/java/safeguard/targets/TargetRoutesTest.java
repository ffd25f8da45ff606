package safeguard.targets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestHttp;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

class TargetRoutesTest {
    private static final String PASSWORD = "Sup3r-Secret-Pw";
    private static final String PIN = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa";

    @TempDir
    Path tmp;
    private Javalin app;
    private TestHttp http;

    @BeforeEach
    void start() {
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static ObjectNode scale() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", "scale-prod").put("host", "scale-gui.example.com")
                .put("username", "snapadmin").put("password", PASSWORD);
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").put("retentionHours", 72)
                .putArray("filesets").add("sales").add("hr");
        return t;
    }

    private HttpResponse<String> post(JsonNode body) {
        return http.send("POST", "/api/targets", body.toString());
    }

    @Test
    void a_created_target_is_returned_with_defaults_and_without_its_password() throws Exception {
        HttpResponse<String> r = post(scale());
        assertEquals(201, r.statusCode());
        JsonNode t = Json.mapper().readTree(r.body());
        assertEquals(443, t.get("port").asInt(), "Scale's default port");
        assertTrue(t.get("passwordSet").asBoolean());
        assertEquals("verify", t.at("/tls/mode").asText(), "TLS is verified by default");
        assertFalse(t.get("insecure").asBoolean());
        assertEquals("sgc", t.at("/scale/snapshotPrefix").asText());
        assertTrue(t.at("/scale/minIntervalSeconds").isMissingNode(), "no own interval: the Settings default applies");
        for (String body : new String[] {r.body(), http.get("/api/targets").body(), http.get("/api/targets/scale-prod").body()}) {
            assertFalse(body.contains(PASSWORD), body);
            assertFalse(body.contains("sealed"), body);
        }
        String onDisk = Files.readString(tmp.resolve("store/targets.json"));
        assertFalse(onDisk.contains(PASSWORD), "encrypted at rest");
        assertTrue(onDisk.contains("\"sealedPassword\" : \"v1:"), onDisk);
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "name|bad name!|name",
            "host|https://scale.example.com/|host",
            "port|0|port",
            "scale.fileSystem|gpfs:01|scale.fileSystem",
            "scale.retentionHours|0|scale.retentionHours",
            "kind|nas|kind",
            "username||username",
    })
    void bad_input_is_a_400_naming_the_field(String path, String value, String field) throws Exception {
        ObjectNode t = scale();
        ObjectNode node = t;
        String[] parts = path.split("\\.");
        for (int i = 0; i < parts.length - 1; i++) {
            node = (ObjectNode) node.get(parts[i]);
        }
        String leaf = parts[parts.length - 1];
        if (value == null) {
            node.remove(leaf);
        } else if (value.matches("-?\\d+")) {
            node.put(leaf, Integer.parseInt(value));
        } else {
            node.put(leaf, value);
        }
        HttpResponse<String> r = post(t);
        assertEquals(400, r.statusCode(), r.body());
        JsonNode e = Json.mapper().readTree(r.body());
        assertEquals(field, e.get("field").asText(), r.body());
        assertFalse(r.body().contains("Exception"), r.body());
        assertFalse(Files.exists(tmp.resolve("store/targets.json")), "nothing is written");
    }

    @Test
    void a_fileset_name_with_a_comma_is_rejected_by_index() throws Exception {
        ObjectNode t = scale();
        ((com.fasterxml.jackson.databind.node.ArrayNode) t.at("/scale/filesets")).add("a,b");
        JsonNode e = Json.mapper().readTree(post(t).body());
        assertEquals("scale.filesets[2]", e.get("field").asText());
    }

    @Test
    void a_pin_must_be_a_sha256_fingerprint_and_malformed_json_is_named() throws Exception {
        ObjectNode t = scale();
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", "abc");
        assertEquals("tls.pinnedSha256", Json.mapper().readTree(post(t).body()).get("field").asText());
        HttpResponse<String> r = http.send("POST", "/api/targets", "{\"kind\": \"scale\", ");
        assertEquals(400, r.statusCode());
        assertEquals("body", Json.mapper().readTree(r.body()).get("field").asText());
    }

    @Test
    void a_duplicate_name_is_a_409_and_the_stored_file_is_unchanged() throws Exception {
        post(scale());
        byte[] before = Files.readAllBytes(tmp.resolve("store/targets.json"));
        HttpResponse<String> r = post(scale());
        assertEquals(409, r.statusCode());
        assertEquals("name", Json.mapper().readTree(r.body()).get("field").asText());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("store/targets.json")));
    }

    @Test
    void an_update_without_a_password_keeps_it_and_a_bad_update_writes_nothing() throws Exception {
        post(scale());
        ObjectNode change = scale();
        change.remove("password");
        ((ObjectNode) change.get("scale")).put("retentionHours", 48);
        HttpResponse<String> r = http.send("PUT", "/api/targets/scale-prod", change.toString());
        assertEquals(200, r.statusCode(), r.body());
        assertTrue(Json.mapper().readTree(r.body()).get("passwordSet").asBoolean());
        byte[] before = Files.readAllBytes(tmp.resolve("store/targets.json"));
        TargetService reread = new TargetService(Store.open(tmp.resolve("store")));
        assertEquals(PASSWORD, reread.password(reread.target("scale-prod")));
        assertEquals(48, reread.target("scale-prod").scale().retentionHours());

        change.put("port", 70000);
        assertEquals(400, http.send("PUT", "/api/targets/scale-prod", change.toString()).statusCode());
        change.put("port", 443).put("name", "renamed");
        assertEquals("name", Json.mapper().readTree(http.send("PUT", "/api/targets/scale-prod", change.toString()).body())
                .get("field").asText());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("store/targets.json")));
    }

    @ParameterizedTest(name = "{0} = {1}")
    @CsvSource(delimiter = '|', value = {
            "host|scale-gui2.example.com",
            "port|8443",
            "tls|{\"mode\": \"insecure\"}",
            "tls|{\"mode\": \"pinned\", \"pinnedSha256\": \"" + PIN + "\"}",
            "tls|{\"mode\": \"verify\", \"caPem\": \"CA\"}",
    })
    void a_stored_password_is_never_sent_to_another_server_or_under_other_trust(String field, String value)
            throws Exception {
        ObjectNode t = scale();
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PIN.replace('a', 'b'));
        post(t);
        byte[] before = Files.readAllBytes(tmp.resolve("store/targets.json"));
        ObjectNode change = t.deepCopy();
        change.remove("password");
        change.set(field, Json.mapper().readTree(value.startsWith("{") ? value.replace("\"CA\"",
                Json.mapper().writeValueAsString(safeguard.TestCerts.localhost().pemText())) : "\"" + value + "\""));
        if (field.equals("port")) {
            change.put("port", Integer.parseInt(value));
        }
        HttpResponse<String> r = http.send("PUT", "/api/targets/scale-prod", change.toString());
        assertEquals(400, r.statusCode(), r.body());
        assertEquals("password", Json.mapper().readTree(r.body()).get("field").asText());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("store/targets.json")), "nothing is written");

        change.put("password", "New-Pw-For-The-New-Server");
        assertEquals(200, http.send("PUT", "/api/targets/scale-prod", change.toString()).statusCode());
        TargetService reread = new TargetService(Store.open(tmp.resolve("store")));
        assertEquals("New-Pw-For-The-New-Server", reread.password(reread.target("scale-prod")));
    }

    @Test
    void delete_removes_and_unknown_names_are_404() {
        post(scale());
        assertEquals(204, http.send("DELETE", "/api/targets/scale-prod", null).statusCode());
        assertEquals(404, http.get("/api/targets/scale-prod").statusCode());
        assertEquals(404, http.send("POST", "/api/targets/nope/test", null).statusCode());
    }

    @Test
    void a_targets_last_test_is_kept_by_the_app_across_a_restart_and_goes_with_the_target() throws Exception {
        ObjectNode down = scale().put("host", "127.0.0.1").put("port", 9); // nothing listens on port 9
        assertEquals(201, post(down).statusCode());
        // (Readiness checks a new target in the background, so "never tested" cannot be asserted here.)
        HttpResponse<String> tested = http.send("POST", "/api/targets/scale-prod/test", null);
        String summary = tested.statusCode() == 200 ? Json.mapper().readTree(tested.body()).get("summary").asText()
                : Json.mapper().readTree(tested.body()).get("error").asText();

        app.stop();
        start(); // another browser, after a restart: the health is still there
        JsonNode last = Json.mapper().readTree(http.get("/api/targets").body()).at("/0/lastTest");
        assertFalse(last.get("ok").asBoolean(), last.toString());
        assertEquals(summary, last.get("summary").asText());
        assertTrue(java.time.Instant.parse(last.get("at").asText()).isAfter(java.time.Instant.now().minusSeconds(60)), last.toString());
        // Readiness checks the target again at start and may make a newer last test meanwhile: the same outcome.
        JsonNode one = Json.mapper().readTree(http.get("/api/targets/scale-prod").body()).get("lastTest");
        assertEquals(last.get("ok"), one.get("ok"), one.toString());
        assertEquals(summary, one.get("summary").asText());

        java.time.Instant deleted = java.time.Instant.now();
        assertEquals(204, http.send("DELETE", "/api/targets/scale-prod", null).statusCode());
        assertFalse(Files.readString(tmp.resolve("store/target-tests.json")).contains("scale-prod"));
        assertEquals(201, post(down).statusCode());
        // A new target of the same name starts untested: any last test it has is its own (readiness may have run).
        JsonNode fresh = Json.mapper().readTree(http.get("/api/targets").body()).at("/0/lastTest");
        assertTrue(fresh.isMissingNode() || java.time.Instant.parse(fresh.get("at").asText()).isAfter(deleted),
                "not the deleted target's: " + fresh);
    }

    @Test
    void per_kind_defaults_apply_to_csm_and_cdm() throws Exception {
        ObjectNode csm = Json.mapper().createObjectNode();
        csm.put("kind", "csm").put("name", "csm1").put("host", "10.0.0.9").put("username", "u").put("password", "p");
        csm.putObject("csm").put("session", "SGC_DB1");
        JsonNode c = Json.mapper().readTree(post(csm).body());
        assertEquals(9559, c.get("port").asInt());
        assertEquals("Backup", c.at("/csm/command").asText());
        ObjectNode cdm = Json.mapper().createObjectNode();
        cdm.put("kind", "cdm").put("name", "cdm1").put("host", "fd00::7").put("username", "u").put("password", "p");
        cdm.putObject("cdm").put("jobName", "SQL restore");
        JsonNode d = Json.mapper().readTree(post(cdm).body());
        assertEquals(8443, d.get("port").asInt());
        assertEquals(10, d.at("/cdm/pollIntervalSeconds").asInt());
        assertEquals(60, d.get("confirmSeconds").asInt(), "an action waits a minute at most to confirm its copy");
    }

    @Test
    void the_confirmation_bound_is_validated_so_no_action_holds_a_queue_for_long() throws Exception {
        ObjectNode cdm = Json.mapper().createObjectNode();
        cdm.put("kind", "cdm").put("name", "cdm1").put("host", "cdm.example").put("username", "u").put("password", "p")
                .put("confirmSeconds", 3600);
        cdm.putObject("cdm").put("jobName", "SQL restore");
        JsonNode refused = Json.mapper().readTree(post(cdm).body());
        assertEquals("confirmSeconds", refused.get("field").asText());
        assertEquals("confirmSeconds must be between 5 and 300", refused.get("error").asText());
        cdm.put("confirmSeconds", 120);
        assertEquals(120, Json.mapper().readTree(post(cdm).body()).get("confirmSeconds").asInt());
    }
}
