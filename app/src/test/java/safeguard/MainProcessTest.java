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

    private Process launch(Map<String, String> env) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        ProcessBuilder pb = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"),
                // the test classpath carries log4j2-test.xml; run with the production logging config
                "-Dlog4j2.configurationFile=log4j2.xml", "safeguard.Main");
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
