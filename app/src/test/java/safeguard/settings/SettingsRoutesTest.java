package safeguard.settings;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.TestHttp;

class SettingsRoutesTest {
    @TempDir
    Path tmp;
    LocalApp local;
    TestHttp http;

    @BeforeEach
    void start() {
        local = LocalApp.start(tmp.resolve("store"));
        http = local.http();
    }

    @AfterEach
    void stop() {
        local.close();
    }

    @Test
    void defaults_apply_until_changed_and_a_change_keeps_what_it_leaves_out() throws Exception {
        JsonNode s = Json.mapper().readTree(http.get("/api/settings").body());
        assertEquals(300, s.get("coalesceWindowSeconds").asInt());
        assertFalse(s.get("dryRunAll").asBoolean());
        assertEquals(200, http.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":90}").statusCode());
        var r = http.send("PUT", "/api/settings", "{\"dryRunAll\":true}");
        JsonNode after = Json.mapper().readTree(r.body());
        assertEquals(90, after.get("coalesceWindowSeconds").asInt());
        assertTrue(after.get("dryRunAll").asBoolean());
    }

    @Test
    void dry_run_everything_and_the_default_window_govern_the_next_trigger() throws Exception {
        // Port 9 (discard): were the app to call this "storage system", the action would fail, not dry-run.
        String target = "{\"kind\":\"scale\",\"name\":\"scale1\",\"host\":\"127.0.0.1\",\"port\":9,"
                + "\"username\":\"u\",\"password\":\"p\",\"scale\":{\"fileSystem\":\"gpfs01\"}}";
        assertEquals(201, http.send("POST", "/api/targets", target).statusCode());
        String token = Json.mapper().readTree(http.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        TestHttp rule = new TestHttp(local.app().port()).with("Authorization", "Bearer " + token);
        String trigger = "{\"type\":\"scale-snapshot\",\"target\":\"scale1\"}";

        http.send("PUT", "/api/settings", "{\"dryRunAll\":true,\"coalesceWindowSeconds\":0}");
        assertEquals("dry-run", Json.mapper().readTree(rule.send("POST", "/api/actions", trigger).body()).get("status").asText());
        assertEquals("dry-run", Json.mapper().readTree(rule.send("POST", "/api/actions", trigger).body()).get("status").asText(),
                "a zero window coalesces nothing");
        http.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":600}");
        assertEquals("coalesced", Json.mapper().readTree(rule.send("POST", "/api/actions", trigger).body()).get("status").asText(),
                "the wider window applies at once: this trigger joins the previous action");
    }

    @Test
    void a_window_out_of_range_is_a_400_naming_the_field_and_nothing_is_written() throws Exception {
        for (String body : new String[] {"{\"coalesceWindowSeconds\":-1}", "{\"coalesceWindowSeconds\":86401}"}) {
            var r = http.send("PUT", "/api/settings", body);
            assertEquals(400, r.statusCode());
            assertEquals("coalesceWindowSeconds", Json.mapper().readTree(r.body()).get("field").asText());
        }
        var notANumber = http.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":\"soon\"}");
        assertEquals(400, notANumber.statusCode());
        assertFalse(notANumber.body().contains("Exception"), notANumber.body());
        assertFalse(Files.exists(tmp.resolve("store/settings.json")));
    }

    @Test
    void journal_retention_defaults_to_400_days_and_out_of_range_is_a_400_naming_the_field() throws Exception {
        assertEquals(400, Json.mapper().readTree(http.get("/api/settings").body()).get("journalRetentionDays").asInt());
        for (String body : new String[] {"{\"journalRetentionDays\":29}", "{\"journalRetentionDays\":3651}",
                "{\"journalRetentionDays\":\"forever\"}", "{\"journalRetentionDays\":90.5}"}) {
            var r = http.send("PUT", "/api/settings", body);
            assertEquals(400, r.statusCode(), body);
            assertEquals("journalRetentionDays", Json.mapper().readTree(r.body()).get("field").asText(), body);
        }
        assertFalse(Files.exists(tmp.resolve("store/settings.json")), "nothing was written");
        var r = http.send("PUT", "/api/settings", "{\"journalRetentionDays\":30}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(30, Json.mapper().readTree(r.body()).get("journalRetentionDays").asInt());
        local.close();
        local = LocalApp.start(tmp.resolve("store"));
        http = local.http();
        assertEquals(30, Json.mapper().readTree(http.get("/api/settings").body()).get("journalRetentionDays").asInt(),
                "kept across a restart");
    }

    @Test
    void attempts_per_hour_defaults_to_six_and_out_of_range_is_a_400_naming_the_field() throws Exception {
        assertEquals(6, Json.mapper().readTree(http.get("/api/settings").body()).get("attemptsPerHour").asInt());
        for (String body : new String[] {"{\"attemptsPerHour\":0}", "{\"attemptsPerHour\":61}"}) {
            var r = http.send("PUT", "/api/settings", body);
            assertEquals(400, r.statusCode());
            assertEquals("attemptsPerHour", Json.mapper().readTree(r.body()).get("field").asText());
        }
        assertFalse(Files.exists(tmp.resolve("store/settings.json")));
        var ok = http.send("PUT", "/api/settings", "{\"attemptsPerHour\":2}");
        assertEquals(2, Json.mapper().readTree(ok.body()).get("attemptsPerHour").asInt());
    }

    @Test
    void the_recover_gap_warning_defaults_to_seven_days_and_out_of_range_is_a_400_naming_the_field() throws Exception {
        assertEquals(7, Json.mapper().readTree(http.get("/api/settings").body()).get("recoverGapWarnDays").asInt());
        for (String body : new String[] {"{\"recoverGapWarnDays\":0}", "{\"recoverGapWarnDays\":3651}",
                "{\"recoverGapWarnDays\":\"a week\"}"}) {
            var r = http.send("PUT", "/api/settings", body);
            assertEquals(400, r.statusCode(), body);
            assertEquals("recoverGapWarnDays", Json.mapper().readTree(r.body()).get("field").asText(), body);
        }
        assertFalse(Files.exists(tmp.resolve("store/settings.json")));
        var ok = http.send("PUT", "/api/settings", "{\"recoverGapWarnDays\":30}");
        assertEquals(30, Json.mapper().readTree(ok.body()).get("recoverGapWarnDays").asInt());
        var kept = Json.mapper().readTree(http.send("PUT", "/api/settings", "{\"attemptsPerHour\":3}").body());
        assertEquals(30, kept.get("recoverGapWarnDays").asInt(), "a change that leaves it out keeps it");
    }

    @Test
    void log_source_hosts_are_checked_one_by_one_and_saved_whole() throws Exception {
        var bad = http.send("PUT", "/api/settings", "{\"logSourceHosts\":[\"scale-1\",\"bad host;rm\"]}");
        assertEquals(400, bad.statusCode());
        assertEquals("logSourceHosts[1]", Json.mapper().readTree(bad.body()).get("field").asText());
        var twice = http.send("PUT", "/api/settings", "{\"logSourceHosts\":[\"scale-1\",\"SCALE-1\"]}");
        assertEquals("logSourceHosts[1]", Json.mapper().readTree(twice.body()).get("field").asText());
        assertFalse(Files.exists(tmp.resolve("store/settings.json")));

        var ok = http.send("PUT", "/api/settings", "{\"logSourceHosts\":[\"scale-1\",\"10.0.0.7\",\"fe80::1\"]}");
        assertEquals(200, ok.statusCode());
        assertEquals(3, Json.mapper().readTree(http.get("/api/settings").body()).get("logSourceHosts").size());
    }
}
