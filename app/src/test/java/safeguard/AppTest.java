package safeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.store.Store;

class AppTest {
    @TempDir
    Path tmp;

    private Javalin app;

    private TestHttp start(Map<String, String> env, Clock clock) {
        AppConfig config = AppConfig.fromEnv(env);
        app = App.create(config, new Deps(Store.open(tmp.resolve("store")), clock)).start("127.0.0.1", 0);
        return TestHttp.admin(app.port(), tmp.resolve("store"));
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void debug_answers_200_for_qradar_liveness_checks() {
        HttpResponse<String> r = start(Map.of(), Clock.systemUTC()).get("/debug");
        assertEquals(200, r.statusCode());
        assertEquals("ok", r.body());
    }

    @Test
    void health_reports_version_uptime_store_and_where_it_runs() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-11-23T08:00:00Z"));
        TestHttp http = start(Map.of("QRADAR_CONSOLE_FQDN", "console.example.com"), clock);
        clock.advance(Duration.ofSeconds(42));

        HttpResponse<String> r = http.get("/api/health");
        assertEquals(200, r.statusCode());
        assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("application/json"));
        JsonNode h = Json.mapper().readTree(r.body());
        assertEquals("ok", h.get("status").asText());
        assertEquals(Version.current(), h.get("version").asText());
        assertNotEquals("unknown", h.get("version").asText());
        assertEquals(42, h.get("uptimeSeconds").asLong());
        assertEquals("2026-11-23T08:00:00Z", h.get("startedAt").asText());
        assertEquals(tmp.resolve("store").toString(), h.at("/store/path").asText());
        assertTrue(h.at("/store/writable").asBoolean());
        assertTrue(h.get("insideQradar").asBoolean());
        assertFalse(h.get("qradarOnCloud").asBoolean());
    }

    @Test
    void an_unknown_api_path_is_a_json_404_not_a_page() throws Exception {
        HttpResponse<String> r = start(Map.of(), Clock.systemUTC()).get("/api/nope");
        assertEquals(404, r.statusCode());
        assertEquals("no such endpoint: GET /api/nope", Json.mapper().readTree(r.body()).get("error").asText());
    }

    @Test
    void the_tab_page_is_served_from_the_jar_with_relative_urls_only() {
        TestHttp http = start(Map.of(), Clock.systemUTC());
        HttpResponse<String> page = http.get("/index.html");
        assertEquals(200, page.statusCode());
        assertFalse(page.body().matches("(?s).*(src|href)=\"/.*"), "no absolute URLs: QRadar serves the app under a prefix");
        HttpResponse<String> script = http.get("/app.js");
        assertEquals(200, script.statusCode());
        assertTrue(script.body().contains("api('GET', 'api/health')"), "the API is called relative to the proxy path");
        assertFalse(script.body().matches("(?s).*['\"`]/api/.*"), "never an absolute /api path");
        assertEquals(200, http.get("/vendor/carbon-styles.min.css").statusCode());
    }

    @Test
    void every_rest_method_the_manifest_names_is_served() throws Exception {
        JsonNode manifest = Json.mapper().readTree(Path.of(System.getProperty("project.root"), "manifest.json").toFile());
        TestHttp http = start(Map.of(), Clock.systemUTC());
        int checked = 0;
        for (JsonNode m : manifest.path("rest_methods")) {
            HttpResponse<String> r = http.send(m.get("method").asText(), m.get("url").asText(), null);
            assertTrue(r.statusCode() != 404 && r.statusCode() != 405,
                    m.get("name").asText() + " → " + r.statusCode());
            checked++;
        }
        assertTrue(checked > 0, "the manifest names rest methods (the uninstall hook needs one)");
    }
}
