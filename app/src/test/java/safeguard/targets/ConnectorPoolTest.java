package safeguard.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.Verdict;
import safeguard.scale.ScaleSimulator;

/** One pooled client per target: connections and TLS sessions reused, let go when the target changes or goes. */
class ConnectorPoolTest {
    static final TestCerts cert = TestCerts.localhost();
    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @TempDir
    Path tmp;
    StorageFixture f;

    @BeforeEach
    void start() {
        scale.credentials("snapadmin", StorageFixture.PASSWORD);
        scale.pollsToComplete = 0;
        f = new StorageFixture(tmp, cert, scale);
        f.targets.onChange((name, deleted) -> f.connector.forget(name));
        f.targets.create(f.scale("scale1", f.trusted(), 5));
    }

    @AfterEach
    void stop() {
        f.connector.close();
        f.close();
    }

    private Connector.Session snapshot(String name) {
        Connector.Session s = f.connector.open("scale1");
        try (s) {
            assertEquals(Verdict.PROTECTED, f.connector.scale(s).createSnapshot("gpfs01", "sales", name,
                    Instant.parse("2099-05-09T10:15:00Z"), ZoneId.of("UTC"), false).verdict());
        }
        return s;
    }

    @Test
    void actions_one_after_another_on_a_target_share_its_client_and_make_one_tls_handshake() {
        Connector.Session first = snapshot("sgc-a");
        Connector.Session second = snapshot("sgc-b");
        assertSame(first.upstream().http(), second.upstream().http());
        assertSame(first.trust(), second.trust());
        assertEquals(1, second.trust().handshakes(), "the second action's requests went over the kept connection");
        assertEquals(List.of("sgc-a", "sgc-b"), scale.names());
    }

    @Test
    void a_changed_target_gets_a_new_client_and_a_deleted_one_leaves_none_open() {
        Connector.Session before = snapshot("sgc-a");
        f.targets.update("scale1", StorageFixture.confirming(f.scale("scale1", f.trusted(), 5), 30));
        Connector.Session after = snapshot("sgc-b");
        assertNotSame(before.upstream().http(), after.upstream().http());
        assertEquals(1, f.connector.openClients());
        f.targets.delete("scale1");
        assertEquals(0, f.connector.openClients());
    }
}
