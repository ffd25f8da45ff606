package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.LocalApp;
import safeguard.TestHttp;

/**
 * The pen test's finding: connections that trickle a request body one byte every few seconds held every Jetty
 * worker, so QRadar's {@code /debug} liveness check timed out and QRadar restarted the app. The bound asserted
 * here is a functional one (an answer at all, well inside the client's timeout); bench/slow-clients.sh measures.
 */
class SlowClientsTest {
    static final int SLOW_CONNECTIONS = 200;
    /** Generous on purpose: before the fix /debug did not answer for minutes. */
    static final long ANSWER_WITHIN_MS = 2_000;
    /** A body byte every few seconds, as in the finding. */
    static final long TICK_MS = 2_000;

    @TempDir
    Path tmp;

    @Test
    void debug_and_health_answer_while_200_connections_trickle_request_bodies() throws Exception {
        try (LocalApp app = LocalApp.start(tmp.resolve("store")); Trickle trickle = new Trickle(app.app().port())) {
            trickle.open(SLOW_CONNECTIONS);
            TestHttp http = new TestHttp(app.app().port());
            // Probes over several of the trickle's byte intervals: the workers it can hold are held by then.
            long end = System.nanoTime() + 8_000_000_000L;
            long nextTick = System.nanoTime() + TICK_MS * 1_000_000;
            while (System.nanoTime() < end) {
                if (System.nanoTime() >= nextTick) {
                    trickle.tick();
                    nextTick += TICK_MS * 1_000_000;
                }
                assertAnswersInTime(http, "/debug");
                assertAnswersInTime(http, "/api/health");
                Thread.sleep(250);
            }
            trickle.close();
            // Once the trickle stops, the same client is served again: nothing it held stays held.
            long deadline = System.nanoTime() + ServerLimits.IDLE.plusSeconds(10).toNanos();
            int status = 0;
            while (status != 200 && System.nanoTime() < deadline) {
                status = app.http().get("/api/targets").statusCode();
                Thread.sleep(200);
            }
            assertEquals(200, status, "the admin's ordinary request after the storm");
        }
    }

    private static void assertAnswersInTime(TestHttp http, String path) {
        long start = System.nanoTime();
        HttpResponse<String> r = http.get(path);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertEquals(200, r.statusCode(), path);
        assertTrue(ms < ANSWER_WITHIN_MS, path + " took " + ms + " ms");
    }

    @Test
    void a_body_slower_than_the_minimum_rate_is_cut_off_with_a_json_408() throws Exception {
        try (LocalApp app = LocalApp.start(tmp.resolve("store")); Trickle trickle = new Trickle(app.app().port())) {
            trickle.open(1);
            String answer = "";
            for (int i = 0; i < 10 && answer.isEmpty(); i++) {
                Thread.sleep(TICK_MS);
                trickle.tick();
                answer = trickle.answer(0);
            }
            assertTrue(answer.startsWith("HTTP/1.1 408"), answer);
            assertTrue(answer.contains("\"status\":408"), answer);
        }
    }

    @Test
    void a_body_that_stops_coming_is_cut_off_after_the_idle_timeout() throws Exception {
        try (LocalApp app = LocalApp.start(tmp.resolve("store")); Trickle stalled = new Trickle(app.app().port())) {
            stalled.open(1);
            long start = System.nanoTime();
            String answer = "";
            while (answer.isEmpty() && System.nanoTime() - start < ServerLimits.IDLE.plusSeconds(5).toNanos()) {
                answer = stalled.answer(0);
                if (stalled.closed(0)) {
                    break;
                }
            }
            long waited = (System.nanoTime() - start) / 1_000_000;
            assertTrue(!answer.isEmpty() || stalled.closed(0), "still open after " + waited + " ms");
            assertTrue(waited < ServerLimits.IDLE.plusSeconds(5).toMillis(), waited + " ms");
        }
    }

    @Test
    void one_client_past_its_running_and_waiting_bounds_is_refused_at_once_with_a_json_429() throws Exception {
        int over = 12;
        int n = ServerLimits.PER_CLIENT + ServerLimits.PER_CLIENT_WAITING + over;
        try (LocalApp app = LocalApp.start(tmp.resolve("store")); Trickle trickle = new Trickle(app.app().port())) {
            trickle.open(n);
            Thread.sleep(500);
            int refused = 0;
            for (int i = 0; i < n; i++) {
                String answer = trickle.answerIfAny(i);
                if (answer.startsWith("HTTP/1.1 429")) {
                    refused++;
                    assertTrue(answer.contains("Retry-After: "), answer);
                    assertTrue(answer.contains("\"status\":429"), answer);
                }
            }
            assertEquals(over, refused);
        }
    }

    /** Raw sockets that send a sign-in's headers (a public route that reads its body) and then a byte per tick. */
    static final class Trickle implements AutoCloseable {
        private final int port;
        private final List<Socket> sockets = new ArrayList<>();

        Trickle(int port) {
            this.port = port;
        }

        void open(int n) throws IOException {
            for (int i = 0; i < n; i++) {
                Socket s = new Socket("127.0.0.1", port);
                s.setSoTimeout(50);
                String head = "POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                        + "Content-Length: 100000\r\n\r\n{";
                s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
                s.getOutputStream().flush();
                sockets.add(s);
            }
        }

        /** One more body byte on every connection still open. */
        void tick() {
            for (Socket s : sockets) {
                try {
                    OutputStream out = s.getOutputStream();
                    out.write(' ');
                    out.flush();
                } catch (IOException closedByServer) {
                    // the server gave up on this one: what it should do
                }
            }
        }

        /** What the server answered on connection {@code i} so far ("" if nothing yet). */
        String answer(int i) {
            byte[] buf = new byte[4096];
            try {
                int n = sockets.get(i).getInputStream().read(buf);
                return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
            } catch (IOException e) {
                return "";
            }
        }

        /** Whether the server closed connection {@code i} (a read sees its end). */
        boolean closed(int i) {
            try {
                return sockets.get(i).getInputStream().read() < 0;
            } catch (java.net.SocketTimeoutException stillOpen) {
                return false;
            } catch (IOException e) {
                return true;
            }
        }

        /** Like {@link #answer} without waiting for one. */
        String answerIfAny(int i) throws IOException {
            return sockets.get(i).getInputStream().available() > 0 ? answer(i) : "";
        }

        @Override
        public void close() {
            for (Socket s : sockets) {
                try {
                    s.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
            }
        }
    }
}
