package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The admin guide: requests over the bounds wait their turn (up to the documented wait), then are refused with 429
 * (this client) or 503 (everyone) and Retry-After. The finding: a waiting request got a 408 without Retry-After when
 * its connection's idle timeout (10 s) came before the wait (30 s) was over. Here the idle timeout is shorter than
 * the wait, as in ServerLimits, with both scaled down.
 */
class WaitingRequestsTest {
    static final Duration IDLE = Duration.ofMillis(300);
    static final Duration WAIT = Duration.ofMillis(1500);

    final CountDownLatch release = new CountDownLatch(1);
    final CountDownLatch running = new CountDownLatch(1);
    Server server;

    @AfterEach
    void stop() throws Exception {
        release.countDown();
        server.stop();
    }

    private int start(int perClient, int total) throws Exception {
        server = new Server();
        ServerConnector c = new ServerConnector(server);
        c.setHost("127.0.0.1");
        c.setIdleTimeout(IDLE.toMillis());
        server.addConnector(c);
        ClientLimits limits = new ClientLimits(perClient, total, 10, 10, WAIT, new ClientAddress(List.of()));
        limits.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) throws Exception {
                running.countDown();
                release.await(30, TimeUnit.SECONDS); // the one running request holds its place
                response.setStatus(200);
                callback.succeeded();
                return true;
            }
        });
        server.setHandler(limits);
        server.start();
        return c.getLocalPort();
    }

    private static Socket send(int port) throws Exception {
        return send(port, "127.0.0.1");
    }

    /** From {@code from}, another loopback address: another client to the limits. */
    private static Socket send(int port, String from) throws Exception {
        Socket s = new Socket(java.net.InetAddress.getByName("127.0.0.1"), port, java.net.InetAddress.getByName(from), 0);
        s.setSoTimeout(20_000);
        s.getOutputStream().write("GET /api/overview HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
        return s;
    }

    private static String head(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        byte[] buf = new byte[4096];
        int n = in.read(buf);
        return n <= 0 ? "" : new String(buf, 0, n, StandardCharsets.UTF_8);
    }

    @Test
    void a_request_waiting_past_its_clients_bound_ends_with_429_and_retry_after_not_an_idle_408() throws Exception {
        int port = start(1, 10);
        try (Socket first = send(port)) {
            assertTrue(running.await(10, TimeUnit.SECONDS));
            try (Socket waiting = send(port)) {
                long t0 = System.nanoTime();
                String answer = head(waiting);
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(answer.startsWith("HTTP/1.1 429"), answer);
                assertTrue(answer.contains("Retry-After: "), answer);
                assertTrue(answer.contains("\"status\":429"), answer);
                assertTrue(waitedMs >= WAIT.toMillis() - 100, "it waited the whole wait, past the idle timeout: " + waitedMs);
            }
        }
    }

    @Test
    void a_request_waiting_because_everyone_together_is_at_the_bound_ends_with_503_and_retry_after() throws Exception {
        int port = start(1, 1);
        try (Socket first = send(port)) {
            assertTrue(running.await(10, TimeUnit.SECONDS));
            // Another client, with nothing of its own running: it is the total that keeps it waiting.
            try (Socket other = send(port, "127.0.0.2")) {
                long t0 = System.nanoTime();
                String answer = head(other);
                long waitedMs = (System.nanoTime() - t0) / 1_000_000;
                assertTrue(answer.startsWith("HTTP/1.1 503"), answer);
                assertTrue(answer.contains("Retry-After: "), answer);
                assertTrue(answer.contains("\"status\":503") && answer.contains("the app is busy"), answer);
                assertTrue(waitedMs >= WAIT.toMillis() - 100, "it waited the whole wait first: " + waitedMs);
            }
        }
    }
}
