package safeguard.actions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.journal.Journal;
import safeguard.scale.ScaleSimulator;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/** An ActionService on a journal in {@code dir} with Scale target "scale1" on {@code scale}; settings changeable. */
final class ScaleActions implements AutoCloseable {
    final AtomicReference<Settings> settings = new AtomicReference<>(Settings.DEFAULTS);
    final Journal journal;
    final ActionService actions;
    final TargetService targets;

    ScaleActions(Path dir, ScaleSimulator scale, TestCerts cert, ScaleSettings s, Clock clock) throws Exception {
        Store store = Store.open(dir.resolve("store"));
        targets = new TargetService(store);
        if (targets.list().isEmpty()) {
            targets.create(new TargetInput("scale", "scale1", "localhost", scale.port(), "snapadmin", "pw",
                    new Tls("pinned", null, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0))), 2, 10, s,
                    null, null, null));
        }
        RetryPolicy noWait = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait, d -> { });
        journal = new Journal(store.dir().resolve("journal"), 1 << 20, clock);
        actions = new ActionService(journal, targets, connector, null, clock, 8, settings::get);
        actions.load();
        actions.resume();
    }

    static ScaleSettings filesets(String def, List<String> allowed, Boolean globalOutside) {
        return new ScaleSettings("gpfs01", def, allowed, "sgc", 24, 600, "UTC", globalOutside);
    }

    ActionAnswer fire(String path) {
        return actions.submit(new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", path, null, null, null), null, null, null, null));
    }

    ActionDetail awaitEnd(String id) throws InterruptedException {
        for (int i = 0; i < 1500; i++) {
            ActionDetail d = actions.detail(id);
            if (ActionState.TERMINAL.contains(d.action().status())) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("did not end: " + actions.detail(id));
    }

    @Override
    public void close() {
        actions.close();
        journal.close();
    }
}
