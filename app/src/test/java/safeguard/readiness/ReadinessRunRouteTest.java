package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;

/** docs/api.md: a readiness run a storage system holds up is answered 202 after a few seconds, and goes on. */
class ReadinessRunRouteTest {
    @TempDir
    Path tmp;

    @Test
    void a_run_held_up_by_a_storage_system_that_never_answers_is_a_202_with_the_last_result_marked_running() throws Exception {
        List<Socket> held = new CopyOnWriteArrayList<>();
        CountDownLatch reached = new CountDownLatch(1);
        try (ServerSocket silent = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
             LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            // Accepts the TLS connection and never says a word: the check waits on its read.
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        held.add(silent.accept());
                        reached.countDown();
                    }
                } catch (java.io.IOException closed) {
                    // the test is over
                }
            });
            acceptor.setDaemon(true);
            acceptor.start();
            var t = Json.mapper().createObjectNode().put("kind", "scale").put("name", "scale-silent")
                    .put("host", "127.0.0.1").put("port", silent.getLocalPort()).put("username", "snapadmin")
                    .put("password", "pw-Scale-1");
            t.putObject("scale").put("fileSystem", "gpfs01").putArray("filesets").add("sales");
            assertEquals(201, app.http().send("POST", "/api/targets", t.toString()).statusCode());

            HttpResponse<String> r = app.http().send("POST", "/api/readiness/run", null);
            assertEquals(202, r.statusCode(), r.body());
            JsonNode body = Json.mapper().readTree(r.body());
            assertTrue(body.path("running").asBoolean(), r.body());
            assertTrue(body.hasNonNull("state"), "the last result, or pending: " + r.body());
            assertTrue(reached.await(10, TimeUnit.SECONDS), "the run was underway, held by the silent system");
        } finally {
            for (Socket s : held) {
                s.close();
            }
        }
    }
}
