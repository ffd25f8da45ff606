package safeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the real main in its own JVM: exit codes, signals and log files only show there. */
class MainProcessTest {
    private static final Pattern LISTENING = Pattern.compile("listening on [^:]+:(\\d+)");

    @TempDir
    Path tmp;

    private Process launch(Map<String, String> env, String... args) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new java.util.ArrayList<>(List.of(java, "-cp", System.getProperty("java.class.path"),
                // the test classpath carries log4j2-test.xml; run with the production logging config
                "-Dlog4j2.configurationFile=log4j2.xml", "safeguard.Main"));
        command.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().clear();
        pb.environment().putAll(env);
        pb.redirectOutput(tmp.resolve("stdout.log").toFile());
        pb.redirectError(tmp.resolve("stderr.log").toFile());
        return pb.start();
    }

    private String read(String name) throws IOException {
        return Files.readString(tmp.resolve(name), StandardCharsets.UTF_8);
    }

    @Test
    void a_bad_port_ends_the_process_with_one_clear_line_and_status_2() throws Exception {
        Process p = launch(Map.of("SAFEGUARD_PORT", "abc", "SAFEGUARD_STORE", tmp.resolve("store").toString()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        List<String> err = read("stderr.log").lines().toList();
        assertEquals(List.of("safeguard-responder: invalid configuration: "
                + "SAFEGUARD_PORT must be a number from 0 to 65535, got \"abc\""), err);
    }

    @Test
    void an_unusable_store_ends_the_process_without_a_stack_trace() throws Exception {
        Path file = Files.writeString(tmp.resolve("file"), "x");
        Process p = launch(Map.of("SAFEGUARD_STORE", file.resolve("store").toString()));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        String err = read("stderr.log");
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("safeguard-responder: invalid configuration: store directory "), err);
        assertFalse(err.contains("Exception"), err);
    }

    @Test
    void it_serves_logs_to_the_store_and_stops_cleanly_on_sigterm() throws Exception {
        Path store = tmp.resolve("store");
        String token = "5ec-admin-token-do-not-log";
        Process p = launch(Map.of("SAFEGUARD_PORT", "0", "SAFEGUARD_STORE", store.toString(),
                "QRADAR_CONSOLE_FQDN", "console.example.com", "SAFEGUARD_BIND", "127.0.0.1",
                "SEC_ADMIN_TOKEN", token));
        int port = awaitPort(p);
        assertEquals(200, new TestHttp(port).get("/debug").statusCode());

        long t0 = System.nanoTime();
        p.destroy(); // SIGTERM, what supervisord sends
        assertTrue(p.waitFor(10, TimeUnit.SECONDS), "must stop within QRadar's 10 s grace period");
        assertTrue(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0) < 10);

        String appLog = Files.readString(store.resolve("log/app.log"));
        assertTrue(appLog.contains("listening on"), appLog);
        assertTrue(appLog.contains("stopped"), appLog);
        assertFalse(appLog.contains(token), "the admin token must never reach a log");
        assertFalse(read("stdout.log").contains(token));
    }

    @Test
    void outside_qradar_the_first_start_prints_an_admin_token_once_and_never_logs_it() throws Exception {
        Path store = tmp.resolve("store");
        Map<String, String> env = Map.of("SAFEGUARD_PORT", "0", "SAFEGUARD_STORE", store.toString(),
                "SAFEGUARD_BIND", "127.0.0.1");
        Process p = launch(env);
        int port = awaitPort(p);
        Matcher m = Pattern.compile("#admin-token=(sga_[A-Za-z0-9_-]{43})").matcher(read("stdout.log"));
        assertTrue(m.find(), read("stdout.log"));
        String token = m.group(1);

        TestHttp anonymous = new TestHttp(port);
        assertEquals(401, anonymous.get("/api/targets").statusCode());
        var signIn = anonymous.send("POST", "/api/session", "{\"token\":\"" + token + "\"}");
        assertEquals(200, signIn.statusCode(), signIn.body());
        String cookie = signIn.headers().firstValue("Set-Cookie").orElseThrow();
        assertTrue(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        TestHttp browser = anonymous.with("Cookie", cookie.substring(0, cookie.indexOf(';')));
        assertEquals(200, browser.get("/api/targets").statusCode());
        assertEquals(403, browser.send("PUT", "/api/settings", "{\"dryRunAll\":true}").statusCode(),
                "a cookie alone cannot change anything: the page's own header is required");
        assertEquals(200, browser.with("X-Requested-With", "safeguard").send("PUT", "/api/settings",
                "{\"dryRunAll\":true}").statusCode());
        p.destroy();
        assertTrue(p.waitFor(10, TimeUnit.SECONDS));
        assertFalse(Files.readString(store.resolve("log/app.log")).contains(token), "the token is never logged");
        assertFalse(Files.readString(store.resolve("admin-token.json")).contains(token), "only its hash is stored");

        Files.delete(tmp.resolve("stdout.log"));
        Process again = launch(env);
        awaitPort(again);
        assertFalse(read("stdout.log").contains("admin-token="), "shown on the first start only");
        again.destroy();
        assertTrue(again.waitFor(10, TimeUnit.SECONDS));
    }

    @Test
    void the_admin_token_command_refuses_to_make_a_store_the_app_would_not_read_and_says_where_it_looked() throws Exception {
        Path store = tmp.resolve("elsewhere/store");
        Process p = launch(Map.of("SAFEGUARD_STORE", store.toString()), "admin-token");
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(2, p.exitValue());
        assertEquals("", read("stdout.log"), "no token printed");
        String err = read("stderr.log");
        assertTrue(err.startsWith("safeguard-responder: no app store at " + store + " (from SAFEGUARD_STORE)"), err);
        assertTrue(err.contains("--new-store"), err);
        assertFalse(Files.exists(store), "nothing created");

        Process create = launch(Map.of("SAFEGUARD_STORE", store.toString()), "admin-token", "--new-store");
        assertTrue(create.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, create.exitValue(), read("stderr.log"));
        assertTrue(read("stdout.log").trim().matches("sga_[A-Za-z0-9_-]{43}"), read("stdout.log"));
        assertTrue(Files.isRegularFile(store.resolve("admin-token.json")));
    }

    @Test
    void the_admin_token_command_writes_to_the_running_apps_store_and_the_app_takes_the_token() throws Exception {
        Path store = tmp.resolve("store");
        Map<String, String> env = Map.of("SAFEGUARD_PORT", "0", "SAFEGUARD_STORE", store.toString(),
                "SAFEGUARD_BIND", "127.0.0.1");
        Process app = launch(env);
        int port = awaitPort(app);
        String firstStart = read("stdout.log");
        assertTrue(firstStart.contains("Store: " + store + " (from SAFEGUARD_STORE)"), firstStart);
        // The hint names this store and a real command, not a jar path that does not exist from here.
        Matcher hint = Pattern.compile("Lost the token\\? (SAFEGUARD_STORE=(\\S+) java -jar (\\S+) admin-token)").matcher(firstStart);
        assertTrue(hint.find(), firstStart);
        assertEquals(store.toString(), hint.group(2));
        assertTrue(Files.exists(Path.of(hint.group(3))), hint.group(3));
        assertFalse(firstStart.contains("adminToken"), "the log names SEC_ADMIN_TOKEN, not a made-up name");

        Files.delete(tmp.resolve("stdout.log"));
        Process cmd = launch(Map.of("SAFEGUARD_STORE", store.toString()), "admin-token");
        assertTrue(cmd.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, cmd.exitValue(), read("stderr.log"));
        String token = read("stdout.log").trim();
        assertTrue(read("stderr.log").contains("new admin token for the store " + store), read("stderr.log"));
        TestHttp api = new TestHttp(port).with("Authorization", "Bearer " + token);
        assertEquals(200, api.get("/api/targets").statusCode(), "the running app takes the new token");
        app.destroy();
        assertTrue(app.waitFor(10, TimeUnit.SECONDS));
    }

    private int awaitPort(Process p) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Matcher m = LISTENING.matcher(read("stdout.log"));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
            assertTrue(p.isAlive(), () -> "exited early: " + safeRead("stderr.log"));
            Thread.sleep(50);
        }
        throw new AssertionError("app did not report its port: " + read("stdout.log"));
    }

    private String safeRead(String name) {
        try {
            return read(name);
        } catch (IOException e) {
            return e.toString();
        }
    }
}
