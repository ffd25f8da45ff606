package safeguard.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/** A host that does not resolve, and a port nothing listens on, are told apart and named as such. */
class UnreachableTargetTest {
    @TempDir
    Path tmp;

    private ConnectionTest test(String host, int port) {
        TargetService targets = new TargetService(Store.open(tmp.resolve("store")));
        targets.create(new TargetInput("cdm", "cdm1", host, port, "u", "p", null, 2, 2, null, null,
                new CdmSettings("job", 5, List.of()), null, null));
        Connector c = new Connector(targets, Optional.empty(), ProxySettings.NONE,
                new RetryPolicy(3, java.time.Duration.ZERO, java.time.Duration.ZERO, d -> { }), d -> { });
        return c.test("cdm1");
    }

    @Test
    void an_unresolvable_host_is_named_and_not_retried() {
        ConnectionTest t = test("no-such-host.invalid", 8443);
        assertFalse(t.ok());
        assertEquals("the host no-such-host.invalid does not resolve (DNS); check the host name", t.error());
        assertEquals(1, t.calls().size());
    }

    @Test
    void a_port_nothing_listens_on_is_a_refused_connection_retried_within_bounds() throws Exception {
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        ConnectionTest t = test("127.0.0.1", port);
        assertEquals("connection refused", t.error());
        assertEquals(3, t.calls().size());
        assertTrue(t.summary().startsWith("Could not use 127.0.0.1:" + port + ": connection refused"), t.summary());
    }
}
