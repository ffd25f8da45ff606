package safeguard.targets;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import safeguard.ProxySettings;
import safeguard.cdm.CdmClient;
import safeguard.csm.CsmClient;
import safeguard.http.PeerTrust;
import safeguard.http.PollPolicy;
import safeguard.http.RetryPolicy;
import safeguard.http.SessionCache;
import safeguard.http.StepResult;
import safeguard.http.Upstream;
import safeguard.scale.ScaleClient;
import safeguard.scale.ScaleCopies;

/**
 * Opens conversations with storage targets: their TLS trust, timeouts, the QRadar proxy, retries, polling
 * bounded by the target's {@code confirmSeconds}, and CSM/CDM login sessions kept per target between actions.
 */
public final class Connector implements AutoCloseable {
    /** CSM and CDM end idle sessions themselves; ours is dropped sooner, so a stale one is rarely tried. */
    static final Duration SESSION_IDLE = Duration.ofMinutes(10);

    private final TargetService targets;
    private final Optional<Path> qradarCaBundle;
    private final ProxySettings proxy;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper pollSleeper;
    private final Clock clock = Clock.systemUTC();
    private final SessionCache sessions = new SessionCache(SESSION_IDLE, clock);

    public Connector(TargetService targets, Optional<Path> qradarCaBundle, ProxySettings proxy, RetryPolicy retry,
                     RetryPolicy.Sleeper pollSleeper) {
        this.targets = targets;
        this.qradarCaBundle = qradarCaBundle;
        this.proxy = proxy;
        this.retry = retry;
        this.pollSleeper = pollSleeper;
    }

    /** One conversation with a target, over the target's pooled client; close it when done. */
    public record Session(Target target, Upstream upstream, PeerTrust trust, Runnable release) implements AutoCloseable {
        public Session(Target target, Upstream upstream, PeerTrust trust) {
            this(target, upstream, trust, () -> { });
        }

        @Override
        public void close() {
            upstream.close();
            release.run();
        }
    }

    /**
     * A target's one HTTP client (keep-alive connections, TLS sessions resumed), made for one version of the
     * target's settings. Retired when the target changes or is deleted, and closed once no conversation uses it.
     */
    private static final class Pool {
        final String version;
        final PeerTrust trust;
        final kong.unirest.core.UnirestInstance http;
        private int users;
        private boolean retired;

        Pool(String version, PeerTrust trust, kong.unirest.core.UnirestInstance http) {
            this.version = version;
            this.trust = trust;
            this.http = http;
        }

        synchronized boolean use() {
            if (retired) {
                return false;
            }
            users++;
            return true;
        }

        synchronized void release() {
            users--;
            if (retired && users == 0) {
                http.close();
            }
        }

        synchronized void retire() {
            retired = true;
            if (users == 0) {
                http.close();
            }
        }
    }

    private final java.util.concurrent.ConcurrentMap<String, Pool> pools = new java.util.concurrent.ConcurrentHashMap<>();

    public Session open(String name) {
        Target t = targets.target(name);
        String version = version(t);
        for (;;) {
            Pool p = pools.compute(name, (k, old) -> {
                if (old != null && old.version.equals(version)) {
                    return old;
                }
                if (old != null) {
                    old.retire();
                }
                PeerTrust trust = trust(t);
                return new Pool(version, trust, Upstream.client(t.baseUrl(), trust, proxy, t.connectTimeoutSeconds(),
                        t.requestTimeoutSeconds()));
            });
            if (p.use()) {
                return new Session(t, new Upstream(t.baseUrl(), p.trust, p.http, retry), p.trust, p::release);
            }
        }
    }

    /** The target changed or was deleted: its client is closed (once idle) and its login session dropped. */
    public void forget(String name) {
        Pool p = pools.remove(name);
        if (p != null) {
            p.retire();
        }
        sessions.forget(name);
    }

    /** Closes every target's client (at shutdown, after the target queues stopped). */
    @Override
    public void close() {
        for (String name : List.copyOf(pools.keySet())) {
            forget(name);
        }
    }

    /** How many targets have a client open (each has at most one). */
    public int openClients() {
        return pools.size();
    }

    private PeerTrust trust(Target t) {
        return switch (t.tls().mode()) {
            case "pinned" -> PeerTrust.pinned(t.tls().pinnedSha256());
            case "insecure" -> PeerTrust.insecure();
            default -> PeerTrust.verify(qradarCaBundle.map(List::of).orElse(List.of()), t.tls().caPem());
        };
    }

    private static String version(Target t) {
        return Integer.toHexString(t.hashCode());
    }

    /** A conversation with a client of its own (a connection test checks a fresh handshake and login). */
    private Session openAlone(String name) {
        Target t = targets.target(name);
        PeerTrust trust = trust(t);
        Upstream up = new Upstream(t.baseUrl(), trust, proxy, t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), retry);
        return new Session(t, up, trust);
    }

    private PollPolicy poll(Target t, Duration first, Duration max) {
        return PollPolicy.of(first, max, Duration.ofSeconds(t.confirmSeconds()), pollSleeper);
    }

    /** The login session slot of {@code t} as configured now: any change to the target starts a new session. */
    private SessionCache.Slot slot(Target t) {
        return sessions.slot(t.name(), version(t));
    }

    public ScaleClient scale(Session s) {
        // Scale jobs: 1 s doubling to 16 s, as IBM's CSI driver backs off (storage-apis.md §1.3).
        return new ScaleClient(s.upstream(), s.target().username(), targets.password(s.target()),
                poll(s.target(), Duration.ofSeconds(1), Duration.ofSeconds(16)));
    }

    /**
     * Copies out of snapshots: jobs followed for up to an hour (a restore of many files takes longer than a
     * snapshot; it runs in its own queue, so nothing protective waits for it).
     */
    public ScaleCopies scaleCopies(Session s) {
        return new ScaleCopies(s.upstream(), s.target().username(), targets.password(s.target()),
                PollPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(16),
                        Duration.ofSeconds(Math.max(s.target().confirmSeconds(), RESTORE_SECONDS)), pollSleeper));
    }

    static final int RESTORE_SECONDS = 3600;

    public CsmClient csm(Session s) {
        return csm(s, slot(s.target()));
    }

    private CsmClient csm(Session s, SessionCache.Slot slot) {
        return new CsmClient(s.upstream(), s.target().username(), targets.password(s.target()),
                poll(s.target(), Duration.ofSeconds(2), Duration.ofSeconds(15)), slot);
    }

    public CdmClient cdm(Session s) {
        return cdm(s, slot(s.target()));
    }

    private CdmClient cdm(Session s, SessionCache.Slot slot) {
        Duration every = Duration.ofSeconds(s.target().cdm().pollIntervalSeconds());
        return new CdmClient(s.upstream(), s.target().username(), targets.password(s.target()), poll(s.target(), every, every), slot);
    }

    /** The snapshots Scale holds for a target's fileset (its default one when null; global when it has none). */
    public List<safeguard.scale.Snapshot> snapshots(String name, String fileset) {
        try (Session s = open(name)) {
            Target t = s.target();
            if (!Target.SCALE.equals(t.kind())) {
                throw new safeguard.InvalidInputException("name", "snapshots exist on Storage Scale targets only");
            }
            String f = fileset == null ? t.scale().defaultFileset() : fileset;
            if (f != null && !t.scale().filesets().contains(f)) {
                throw new safeguard.InvalidInputException("fileset", "fileset must be one of the target's filesets");
            }
            return scale(s).list(t.scale().fileSystem(), f);
        }
    }

    /**
     * Logs in and checks the configured file system / filesets / session / task / job exist; the outcome is kept
     * as the target's last test (a test that could not even connect is a failed one).
     */
    public ConnectionTest test(String name) {
        String at = java.time.Instant.now(clock).toString();
        targets.target(name);
        try {
            ConnectionTest r = check(name);
            targets.recordTest(name, new LastTest(at, r.ok(), r.summary()));
            return r;
        } catch (RuntimeException e) {
            targets.recordTest(name, new LastTest(at, false, e.getMessage()));
            throw e;
        }
    }

    private ConnectionTest check(String name) {
        long t0 = System.nanoTime();
        try (Session s = openAlone(name)) {
            Target t = s.target();
            StepResult r = switch (t.kind()) {
                case Target.SCALE -> scale(s).check(t.scale().fileSystem(), t.scale().filesets());
                // A test logs in for itself: it checks the credentials, not a session kept from earlier.
                case Target.CSM -> csm(s, SessionCache.unshared()).check(t.csm().session(), t.csm().command(), t.csm().scheduledTask());
                default -> cdm(s, SessionCache.unshared()).check(t.cdm().jobName());
            };
            long ms = (System.nanoTime() - t0) / 1_000_000;
            String fingerprint = s.trust().serverFingerprint().orElse(null);
            String summary = r.ok()
                    ? "Connected to " + t.host() + ":" + t.port() + " as " + t.username() + " in " + ms + " ms"
                    : "Could not use " + t.host() + ":" + t.port() + ": " + r.error();
            if (t.tls().insecure()) {
                summary += " (TLS verification is OFF for this target)";
            }
            return new ConnectionTest(t.name(), t.kind(), r.ok(), summary, r.details(), r.error(), t.tls().mode(),
                    t.tls().insecure(), fingerprint, ms, r.calls());
        }
    }
}
