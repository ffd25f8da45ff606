package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.LocalApp;
import safeguard.access.LocalAdmin;
import safeguard.store.Store;

/**
 * A route that has no use for a body still answers a client that sends one. Answered before the body was read,
 * Jetty closed the connection under the client still sending, and the client saw a reset instead of the answer
 * (found by FuzzRoutesTest: "header parser received no bytes").
 */
class IgnoredBodyTest {
    @TempDir
    Path tmp;

    @Test
    void a_route_that_ignores_bodies_answers_only_once_the_whole_body_arrived() throws Exception {
        try (LocalApp app = LocalApp.start(tmp.resolve("store"));
             Socket s = new Socket("127.0.0.1", app.app().port())) {
            String admin = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
            byte[] half = new byte[64 * 1024];
            Arrays.fill(half, (byte) 'y');
            OutputStream out = s.getOutputStream();
            out.write(("POST /api/readiness/run HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + admin
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + 2 * half.length + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.write(half);
            out.flush();
            // Answered now, the connection would be closed under the rest of the body (a reset, no answer seen).
            s.setSoTimeout(1_500);
            assertThrows(SocketTimeoutException.class, () -> s.getInputStream().read(),
                    "no answer while the body is still coming");
            s.setSoTimeout(20_000);
            out.write(half);
            out.flush();
            String answer = head(s.getInputStream());
            assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("\"checks\""), answer);
        }
    }

    private static String head(InputStream in) throws Exception {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while (!got.toString(StandardCharsets.UTF_8).contains("}") && (n = in.read(buf)) > 0) {
            got.write(buf, 0, n);
        }
        return got.toString(StandardCharsets.UTF_8);
    }
}
