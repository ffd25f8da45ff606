package safeguard.actions;

import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.journal.Journal;
import safeguard.qradar.QradarClient;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

class ActionServiceTest {
    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    ScaleSimulator scale;
    @org.junit.jupiter.api.extension.RegisterExtension
    final safeguard.qradar.ConsoleExtension console = new safeguard.qradar.ConsoleExtension();
    Journal journal;
    ActionService actions;


    @AfterEach
    void stop() {
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (scale != null) {
            scale.close();
        }
    }

    private ActionService service(int delayMs, int capacity, QradarClient q) throws Exception {
        scale = ScaleSimulator.started(cert, 0);
        if (delayMs > 0) {
            scale.delay("POST", ".*/snapshots", delayMs); // a slow storage system: the create takes this long
        }
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("scale", "scale1", "localhost", scale.port(), "snapadmin", "pw",
                new Tls("pinned", null, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0))), 2, 10,
                new ScaleSettings("gpfs01", "sales", List.of("sales", "hr", "ops", "eng"), "sgc", 24, 600, "UTC"),
                null, null, null, null));
        RetryPolicy noWait = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait, d -> { });
        journal = new Journal(store.dir().resolve("journal"), 1 << 20, Clock.systemUTC());
        actions = new ActionService(journal, targets, connector, q, Clock.systemUTC(), capacity);
        actions.load();
        return actions;
    }

    private static ActionRequest request(String fileset, String offense) {
        return new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", "/gpfs/gpfs01/sales/x.csv", "x.csv", null, offense), null, fileset, null, null);
    }

    @Test
    void a_target_takes_one_job_at_a_time_and_refuses_beyond_its_queue() throws Exception {
        service(1500, 1, null);
        assertEquals("accepted", actions.submit(request("sales", null)).status());
        Thread.sleep(300); // the first is running now; the queue is empty again
        assertEquals("accepted", actions.submit(request("hr", null)).status());
        ActionAnswer third = actions.submit(request("ops", null));
        assertEquals("refused", third.status());
        assertEquals("target scale1 has 1 actions waiting; try again later", third.reason());
        assertEquals("refused", actions.detail(third.id()).action().status());
        ActionAnswer fourth = actions.submit(request("eng", null));
        assertEquals("refused", fourth.status(), "still full");
    }

    @Test
    void state_and_idempotency_survive_a_restart() throws Exception {
        service(0, 4, null);
        ActionRequest keyed = new ActionRequest("scale-snapshot", "scale1", null, "k-1", null, null, null);
        ActionAnswer first = actions.submit(keyed);
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!actions.detail(first.id()).action().status().equals("protected") && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        actions.close();
        journal.close();

        journal = new Journal(tmp.resolve("store/journal"), 1 << 20, Clock.systemUTC());
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        actions = new ActionService(journal, targets, new Connector(targets, Optional.empty(), ProxySettings.NONE,
                RetryPolicy.standard(), d -> { }), null, Clock.systemUTC(), 4);
        actions.load();
        actions.resume();
        assertEquals(first, actions.submit(keyed), "same key, same answer after a restart");
        assertEquals("protected", actions.detail(first.id()).action().status());
        assertEquals("coalesced", actions.submit(request(null, null)).status(), "the interval is remembered too");
    }
}
