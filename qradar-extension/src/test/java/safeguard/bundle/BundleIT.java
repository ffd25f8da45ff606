package safeguard.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The built zip, installed and started the way QRadar does it, on its bundled Java runtime. */
class BundleIT {
    private static final Path ZIP = Path.of(System.getProperty("bundle.zip"));
    private static final String SECRET = "sec-admin-token-never-logged-7f3a";
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Where each top-level thing may live in the zip; anything else is a build leftover. */
    private static final List<Pattern> ALLOWED = List.of(
            Pattern.compile("manifest\\.json"),
            Pattern.compile("app/(app\\.jar|lib/([A-Za-z0-9._-]+\\.jar)?)?"),
            Pattern.compile("container/(build/(ordering\\.txt|prepare-runtime\\.sh)?)?"),
            Pattern.compile("dsm/([A-Za-z0-9._-]+\\.json)?"),
            Pattern.compile("reference-sets/([A-Za-z0-9._-]+\\.json)?"),
            Pattern.compile("custom-action/([A-Za-z0-9._-]+\\.py)?"),
            Pattern.compile("runtime/.*"));
    private static final Pattern LEFTOVER = Pattern.compile(
            "(?i).*(\\.java|\\.class|\\.orig|\\.bak|~|\\.DS_Store|/target/.*|\\.git/.*|/store/.*|\\.iml)$");

    @TempDir
    static Path tmp;
    private static InstalledBundle bundle;

    @BeforeAll
    static void install() throws Exception {
        assertTrue(Files.isRegularFile(ZIP), "run 'mvn verify' so the zip exists: " + ZIP);
        bundle = InstalledBundle.unzip(ZIP, tmp.resolve("app-root"));
        bundle.runBuildSteps();
    }

    @Test
    void the_image_build_step_makes_the_runtime_executable_and_its_class_data_archive() throws Exception {
        assertTrue(Files.isExecutable(bundle.root.resolve("runtime/bin/java")));
        assertTrue(Files.size(bundle.root.resolve("app/app.jsa")) > 1_000_000, "training run wrote app/app.jsa");
        assertTrue(bundle.service().get("command").asText().contains("-XX:SharedArchiveFile=/opt/app-root/app/app.jsa"));
    }

    @Test
    void the_manifest_inside_the_zip_passes_the_sdk_checks_and_carries_the_build_version() {
        assertEquals(List.of(), ManifestRules.violations(bundle.manifest));
        assertEquals(System.getProperty("bundle.version"), bundle.manifest.get("version").asText());
    }

    @Test
    void the_zip_holds_only_what_the_app_needs() {
        for (String name : bundle.entries) {
            assertTrue(ALLOWED.stream().anyMatch(p -> p.matcher(name).matches()), "unexpected file in bundle: " + name);
            assertFalse(LEFTOVER.matcher(name).matches(), "build leftover in bundle: " + name);
        }
        assertTrue(bundle.entries.contains("app/app.jar"));
        assertTrue(bundle.entries.contains("runtime/bin/java"));
        assertFalse(bundle.entries.stream().anyMatch(n -> n.matches("app/lib/(junit|wiremock|opentest4j|json-schema).*")),
                "test libraries must not ship");
    }

    @Test
    void the_service_command_starts_on_the_bundled_runtime_serves_and_stops_on_sigterm() throws Exception {
        // Always a free port: 5000 may be a developer's running app, or a port that frees up between check and bind.
        int port = InstalledBundle.freePort();
        Map<String, String> env = new HashMap<>();
        // What QRadar injects into every app container (values of a test console).
        env.put("APP_ROOT", bundle.root.toString());
        env.put("QRADAR_CONSOLE_FQDN", "console.qradar.test");
        env.put("QRADAR_CONSOLE_IP", "127.0.0.2");
        env.put("QRADAR_APP_ID", "1051");
        env.put("QRADAR_APP_UUID", bundle.manifest.get("uuid").asText());
        env.put("SEC_ADMIN_TOKEN", SECRET);
        env.put("LANG", "en_US.UTF-8");
        env.put("TZ", "UTC");
        env.put("SAFEGUARD_PORT", Integer.toString(port));
        Files.createDirectories(bundle.root.resolve("store/log")); // QRadar's startup writes there first

        Process p = bundle.startService(env);
        try {
            awaitDebug(p, port);
            HttpResponse<String> health = get(port, "/api/health");
            assertEquals(200, health.statusCode());
            JsonNode h = ManifestRules.MAPPER.readTree(health.body());
            assertEquals(bundle.root.resolve("store").toString(), h.at("/store/path").asText());
            assertTrue(h.at("/store/writable").asBoolean());
            assertTrue(h.get("insideQradar").asBoolean());
            assertEquals(System.getProperty("bundle.version"), h.get("version").asText());
            assertEquals(200, get(port, "/index.html").statusCode(), "the tab page is served from the jar");
        } finally {
            p.destroy();
        }
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "SIGTERM must stop the app within QRadar's 10 s");

        Path store = bundle.root.resolve("store");
        String appLog = Files.readString(store.resolve("log/app.log"));
        assertTrue(appLog.contains("stopped"), appLog);
        assertFalse(appLog.contains(SECRET));
        assertFalse(Files.readString(Path.of(bundle.local(bundle.service().get("stdout_logfile").asText()))).contains(SECRET));
        assertTrue(appLog.indexOf("listening on") == appLog.lastIndexOf("listening on"),
                "the image-build training run must not write into the store");
    }

    private static void awaitDebug(Process p, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            assertTrue(p.isAlive(), "the service exited with " + (p.isAlive() ? "" : p.exitValue()));
            try {
                if (get(port, "/debug").statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                // still starting
            }
            Thread.sleep(50);
        }
        throw new AssertionError("/debug did not answer 200 within 30 s");
    }

    private static HttpResponse<String> get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
