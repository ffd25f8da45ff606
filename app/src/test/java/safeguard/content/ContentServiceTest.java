package safeguard.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.ProxySettings;
import safeguard.TestHttp;
import safeguard.http.RetryPolicy;
import safeguard.qradar.FakeQradar;
import safeguard.qradar.InsideQradar;
import safeguard.qradar.QradarClient;
import safeguard.store.Store;

class ContentServiceTest {
    final FakeQradar fake = new FakeQradar();

    @RegisterExtension
    final WireMockExtension wm = InsideQradar.console(fake);

    @TempDir
    Path tmp;
    private Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private QradarClient client(String base) {
        return new QradarClient(base + "/api", FakeQradar.TOKEN, null, ProxySettings.NONE,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }));
    }

    /** The app inside QRadar, called by a signed-in QRadar administrator. */
    private TestHttp startApp(QradarClient qradar) {
        app = InsideQradar.start(wm, tmp.resolve("store"), Clock.systemUTC(), qradar, Map.of());
        fake.signsIn("sec-of-admin", "admin", true);
        return new TestHttp(app.port()).with("SEC", "sec-of-admin");
    }

    private static JsonNode awaitStatus(TestHttp http, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        JsonNode s = null;
        while (System.nanoTime() < deadline) {
            s = Json.mapper().readTree(http.get("/api/content/status").body());
            if (done.test(s)) {
                return s;
            }
            Thread.sleep(25);
        }
        throw new AssertionError("status never reached the expected state: " + s);
    }

    @Test
    void outside_qradar_nothing_is_provisioned() throws Exception {
        ContentService s = new ContentService(Store.open(tmp.resolve("store")), null, false, Clock.systemUTC(), Duration.ofSeconds(30));
        s.start();
        assertEquals("not-in-qradar", s.status().state());
        assertTrue(s.status().manualSteps().isEmpty());
    }

    @Test
    void inside_qradar_without_a_token_it_waits_for_authorization() {
        ContentService s = new ContentService(Store.open(tmp.resolve("store")), null, true, Clock.systemUTC(), Duration.ofSeconds(30));
        s.start();
        assertEquals("awaiting-authorization", s.status().state());
    }

    @Test
    void after_start_the_content_is_provisioned_in_the_background_and_shown_installed() throws Exception {
        wm.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeQradar.NAME)));
        TestHttp http = startApp(client(wm.baseUrl()));
        JsonNode status = awaitStatus(http, s -> s.get("state").asText().equals("installed"));
        assertNull(status.get("lastError"));
        assertNotNull(status.get("lastRun"));
        assertTrue(status.get("items").size() > 40);
        assertTrue(status.get("manualSteps").get(0).asText().startsWith("DSM Editor"));
    }

    @Test
    void qradar_down_is_retried_with_backoff_while_the_app_keeps_serving() throws Exception {
        wm.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withStatus(503)));
        Store store = Store.open(tmp.resolve("store"));
        ContentService s = new ContentService(store, client(wm.baseUrl()), true, Clock.systemUTC(), Duration.ofMillis(200));
        s.start();
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!"error".equals(s.status().state()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        ContentStatus failed = s.status();
        assertEquals("error", failed.state());
        assertTrue(failed.lastError().startsWith("HTTP 503"), failed.lastError());
        assertNotNull(failed.nextAttempt());
        assertTrue(failed.items().stream().allMatch(i -> i.state().equals("missing")), "nothing got in");
        assertTrue(failed.items().stream().anyMatch(i -> i.kind().equals("qid-record")
                && i.name().equals("Storage Scale Access Denied")));

        wm.resetMappings(); // QRadar is back
        wm.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeQradar.NAME)));
        while (!"installed".equals(s.status().state()) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertEquals("installed", s.status().state());
        s.stop();
    }

    @Test
    void the_app_answers_while_qradar_is_unreachable() throws Exception {
        TestHttp http = startApp(client("http://127.0.0.1:1"));
        assertEquals(200, http.get("/api/health").statusCode());
        JsonNode status = awaitStatus(http, st -> st.get("state").asText().equals("error"));
        assertTrue(status.get("lastError").asText().startsWith("QRadar console unreachable"));
    }

    @Test
    void the_uninstall_hook_answers_json_listing_what_it_removed() throws Exception {
        wm.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeQradar.NAME)));
        TestHttp http = startApp(client(wm.baseUrl()));
        awaitStatus(http, s -> s.get("state").asText().equals("installed"));

        var r = http.send("POST", "/api/content/uninstall", null);
        assertEquals(200, r.statusCode());
        JsonNode body = Json.mapper().readTree(r.body());
        assertEquals(0, body.get("failed").size());
        assertTrue(body.get("removed").toString().contains("log-source-type IBM Storage Scale File Audit"));
        assertTrue(fake.table(ContentProvisioner.LOG_SOURCE_TYPES).isEmpty());
    }
}
