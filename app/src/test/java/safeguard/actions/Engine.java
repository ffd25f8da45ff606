package safeguard.actions;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.journal.Journal;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.CdmSettings;
import safeguard.targets.Connector;
import safeguard.targets.CsmSettings;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * The action engine as the app composes it, on a store in a test's folder: the given targets (made when the store
 * has none), settings a test can change, retries without waits, and a wait for an action's end that listens to the
 * engine instead of polling it. A test that writes the journal an app left before dying passes that journal in;
 * the engine then leaves it open when it closes, as a restart does.
 */
final class Engine implements AutoCloseable {
    static final RetryPolicy NO_WAIT = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
    static final Duration END_WAIT = Duration.ofSeconds(30);

    final AtomicReference<Settings> settings = new AtomicReference<>(Settings.DEFAULTS);
    final TargetService targets;
    final Journal journal;
    final ActionService actions;
    private final boolean ownsJournal;
    private final Map<String, CompletableFuture<ActionSummary>> ends = new ConcurrentHashMap<>();

    /** Opens the store's journal itself, and closes it with the engine. */
    Engine(Path dir, Clock clock, TargetInput... ifNone) {
        this(dir, null, clock, ifNone);
    }

    /** On {@code journal} when not null (the test's, left open at close), else the store's own. */
    Engine(Path dir, Journal journal, Clock clock, TargetInput... ifNone) {
        Store store = Store.open(dir.resolve("store"));
        targets = new TargetService(store);
        if (targets.list().isEmpty()) {
            for (TargetInput t : ifNone) {
                targets.create(t);
            }
        }
        ownsJournal = journal == null;
        this.journal = journal != null ? journal : journal(dir, clock);
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, NO_WAIT, d -> { });
        actions = new ActionService(this.journal, targets, connector, null, clock, 8, settings::get);
        actions.onEnd(a -> ends.computeIfAbsent(a.id(), k -> new CompletableFuture<>()).complete(a));
        actions.load();
        actions.resume();
    }

    /** The journal of the store in {@code dir}, for writing what a dead app left before the engine starts on it. */
    static Journal journal(Path dir, Clock clock) {
        return new Journal(dir.resolve("store/journal"), 1 << 20, clock);
    }

    static Tls pinned(TestCerts cert) {
        try {
            return new Tls("pinned", null, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("the test certificate cannot be read", e);
        }
    }

    static Tls verified(TestCerts cert) {
        return new Tls("verify", cert.pemText(), null);
    }

    static TargetInput scale(String name, int port, Tls tls, ScaleSettings s) {
        return new TargetInput("scale", name, "localhost", port, "snapadmin", "pw", tls, 2, 10, s, null, null, null);
    }

    static TargetInput csm(String name, int port, Tls tls, String session) {
        return new TargetInput("csm", name, "localhost", port, "csmadmin", "pw", tls, 2, 10, null,
                new CsmSettings(session, "Backup", null, List.of()), null, null, null);
    }

    static TargetInput cdm(String name, int port, Tls tls, String job) {
        return new TargetInput("cdm", name, "localhost", port, "cdmadmin", "pw", tls, 2, 10, null, null,
                new CdmSettings(job, 1, List.of()), null, null);
    }

    /** The action once it ended (as the engine tells it), with its whole timeline. */
    ActionDetail awaitEnd(String id) throws Exception {
        CompletableFuture<ActionSummary> end = ends.computeIfAbsent(id, k -> new CompletableFuture<>());
        if (!ActionState.TERMINAL.contains(actions.detail(id).action().status())) {
            try {
                end.get(END_WAIT.toSeconds(), TimeUnit.SECONDS);
            } catch (TimeoutException e) {
                throw new AssertionError("did not end within " + END_WAIT + ": " + actions.detail(id));
            }
        }
        return actions.detail(id);
    }

    @Override
    public void close() {
        actions.close();
        if (ownsJournal) {
            journal.close();
        }
    }
}
