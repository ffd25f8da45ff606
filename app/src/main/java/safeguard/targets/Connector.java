package safeguard.targets;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import safeguard.ProxySettings;
import safeguard.cdm.CdmClient;
import safeguard.csm.CsmClient;
import safeguard.http.PeerTrust;
import safeguard.http.PollPolicy;
import safeguard.http.RetryPolicy;
import safeguard.http.StepResult;
import safeguard.http.Upstream;
import safeguard.scale.ScaleClient;

/** Opens conversations with storage targets: their TLS trust, timeouts, the QRadar proxy, retries and polling. */
public final class Connector {
    private final TargetService targets;
    private final Optional<Path> qradarCaBundle;
    private final ProxySettings proxy;
    private final RetryPolicy retry;
    private final RetryPolicy.Sleeper pollSleeper;

    public Connector(TargetService targets, Optional<Path> qradarCaBundle, ProxySettings proxy, RetryPolicy retry,
                     RetryPolicy.Sleeper pollSleeper) {
        this.targets = targets;
        this.qradarCaBundle = qradarCaBundle;
        this.proxy = proxy;
        this.retry = retry;
        this.pollSleeper = pollSleeper;
    }

    /** One target's connection; close it when done. */
    public record Session(Target target, Upstream upstream, PeerTrust trust) implements AutoCloseable {
        @Override
        public void close() {
            upstream.close();
        }
    }

    public Session open(String name) {
        Target t = targets.target(name);
        PeerTrust trust = switch (t.tls().mode()) {
            case "pinned" -> PeerTrust.pinned(t.tls().pinnedSha256());
            case "insecure" -> PeerTrust.insecure();
            default -> PeerTrust.verify(qradarCaBundle.map(List::of).orElse(List.of()), t.tls().caPem());
        };
        Upstream up = new Upstream(t.baseUrl(), trust.context(), t.tls().insecure(), proxy, t.connectTimeoutSeconds(),
                t.requestTimeoutSeconds(), retry);
        return new Session(t, up, trust);
    }

    private PollPolicy poll(Duration first, Duration max, Duration timeout) {
        PollPolicy p = PollPolicy.of(first, max, timeout);
        return new PollPolicy(p.first(), p.max(), p.maxPolls(), pollSleeper);
    }

    public ScaleClient scale(Session s) {
        return new ScaleClient(s.upstream(), s.target().username(), targets.password(s.target()),
                poll(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofMinutes(10)));
    }

    public CsmClient csm(Session s) {
        return new CsmClient(s.upstream(), s.target().username(), targets.password(s.target()),
                poll(Duration.ofSeconds(2), Duration.ofSeconds(15), Duration.ofMinutes(3)));
    }

    public CdmClient cdm(Session s) {
        CdmSettings c = s.target().cdm();
        Duration every = Duration.ofSeconds(c.pollIntervalSeconds());
        return new CdmClient(s.upstream(), s.target().username(), targets.password(s.target()),
                poll(every, every, Duration.ofSeconds(c.timeoutSeconds())));
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

    /** Logs in and checks the configured file system / filesets / session / task / job exist. */
    public ConnectionTest test(String name) {
        long t0 = System.nanoTime();
        try (Session s = open(name)) {
            Target t = s.target();
            StepResult r = switch (t.kind()) {
                case Target.SCALE -> scale(s).check(t.scale().fileSystem(), t.scale().filesets());
                case Target.CSM -> csm(s).check(t.csm().session(), t.csm().command(), t.csm().scheduledTask());
                default -> cdm(s).check(t.cdm().jobName());
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
