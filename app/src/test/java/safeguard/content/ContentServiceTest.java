package safeguard.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.ProxySettings;
import safeguard.TestHttp;
import safeguard.http.RetryPolicy;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;
import safeguard.qradar.QradarClient;
import safeguard.settings.Settings;
import safeguard.store.Store;

class ContentServiceTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

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
        return new QradarClient(base + "/api", FakeConsole.TOKEN, ConsoleExtension.trust(), ProxySettings.NONE,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }));
    }

    /** The app inside QRadar, called by a signed-in QRadar administrator. */
    private TestHttp startApp(QradarClient qradar) {
        app = InsideQradar.start(console, tmp.resolve("store"), Clock.systemUTC(), qradar, Map.of());
        console.fake().signsIn("sec-of-admin", "admin", true);
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
        TestHttp http = startApp(console.service());
        JsonNode status = awaitStatus(http, s -> s.get("state").asText().equals("installed"));
        assertEquals("26.0", status.get("apiVersion").asText());
        assertNull(status.get("lastError"));
        assertNotNull(status.get("lastRun"));
        assertTrue(status.get("items").size() > 40);
        assertTrue(status.get("manualSteps").get(0).asText().startsWith("DSM Editor"));
    }

    @Test
    void asking_to_reconcile_soon_many_times_brings_the_one_pending_reconcile_forward_instead_of_adding_more() throws Exception {
        // A slow console: the first reconcile is still running while targets change five times.
        FakeConsole.Hold slow = console.fake().hold(request -> true);
        ContentService s = new ContentService(Store.open(tmp.resolve("store")), console.service(), true, Clock.systemUTC(),
                Duration.ofMillis(200));
        s.start();
        slow.awaitArrival(); // the first reconcile has begun
        for (int i = 0; i < 5; i++) {
            s.reconcileSoon();
        }
        assertEquals(1, s.pending(), "one reconcile waits, not five chains");
        s.stopping();
        slow.release();
        assertTrue(s.awaitStopped(), "the running reconcile ended at the stop");
    }

    @Test
    void qradar_down_is_retried_with_backoff_while_the_app_keeps_serving() throws Exception {
        console.wireMock().stubFor(any(urlPathMatching("/api/.*")).atPriority(1).willReturn(aResponse().withStatus(503)));
        Store store = Store.open(tmp.resolve("store"));
        ContentService s = new ContentService(store, console.service(), true, Clock.systemUTC(), Duration.ofMillis(200));
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

        console.wireMock().resetMappings(); // QRadar is back
        console.wireMock().stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeConsole.NAME)));
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
        TestHttp http = startApp(console.service());
        awaitStatus(http, s -> s.get("state").asText().equals("installed"));

        var r = http.send("POST", "/api/content/uninstall", null);
        assertEquals(200, r.statusCode());
        JsonNode body = Json.mapper().readTree(r.body());
        assertEquals(0, body.get("failed").size());
        assertTrue(body.get("removed").toString().contains("log-source-type IBM Storage Scale File Audit"), body.toString());
        assertTrue(body.get("left").size() > 0, "QID records and mappings, which no API removes, are named");
        JsonNode status = Json.mapper().readTree(http.get("/api/content/status").body());
        assertEquals("uninstalled", status.get("state").asText());
        assertEquals(body.get("left"), status.get("lastUninstall").get("left"));
        assertTrue(console.fake().table(ContentProvisioner.LOG_SOURCE_TYPES).stream()
                .noneMatch(t -> t.path("custom").asBoolean()), "only QRadar's own types are left");
    }

    @Test
    void stopping_the_app_lets_a_running_reconcile_record_what_it_created_and_start_nothing_more() throws Exception {
        String createType = "POST /api" + ContentProvisioner.LOG_SOURCE_TYPES;
        FakeConsole.Hold slow = console.fake().hold(createType::equals);
        startApp(console.service());
        slow.awaitArrival(); // start-up provisioning is creating the log source type

        int port = app.port();
        Thread stopper = new Thread(app::stop, "stopper");
        stopper.start();
        awaitClosed(port); // Jetty closes its port after the serverStopping events: the app was told to stop
        slow.release();
        stopper.join();
        app = null;

        long created = console.fake().table(ContentProvisioner.LOG_SOURCE_TYPES).stream()
                .filter(t -> t.path("custom").asBoolean()).findFirst().orElseThrow().path("id").asLong();
        JsonNode ledger = Json.mapper().readTree(tmp.resolve("store").resolve(ContentLedger.FILE).toFile());
        assertEquals(created, ledger.get(0).get("id").asLong(),
                "the type the console created is in the ledger, so uninstall removes it");
        var after = console.fake().requests().stream().dropWhile(r -> !(r.method() + " " + r.path()).equals(createType))
                .skip(1).filter(r -> r.path().startsWith("/api/config/event_sources/custom_properties")
                        || r.path().startsWith("/api/data_classification")).toList();
        assertEquals(List.of(), after, "the reconcile ended after the item it was writing");
    }

    /** Until nothing accepts connections on {@code port}; no pause: each try is a refused or closed connection. */
    private static void awaitClosed(int port) {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            } catch (java.io.IOException refused) {
                return;
            }
            Thread.yield();
        }
        throw new AssertionError("the app still accepts connections on " + port);
    }

    @Test
    void an_unexpected_exception_in_a_reconcile_does_not_end_re_checking() throws Exception {
        AtomicInteger reads = new AtomicInteger();
        CountDownLatch secondRun = new CountDownLatch(1);
        Supplier<Settings> settings = () -> {
            if (reads.incrementAndGet() == 1) {
                throw new IllegalStateException("settings.json vanished");
            }
            secondRun.countDown();
            return Settings.DEFAULTS;
        };
        ContentService s = new ContentService(Store.open(tmp.resolve("store")), console.service(), true,
                Clock.systemUTC(), Duration.ZERO, null, List::of, settings, null);
        s.start();
        assertTrue(secondRun.await(30, TimeUnit.SECONDS), "a reconcile ran again after the one that threw");
        s.stop(); // waits for the second reconcile, which had only this read left to do
        assertEquals("installed", s.status().state(), s.status().toString());
        assertNull(s.status().lastError());
    }
}
