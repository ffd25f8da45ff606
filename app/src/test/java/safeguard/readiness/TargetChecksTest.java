package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.scale.ScaleSimulator;
import safeguard.targets.ScaleSettings;
import safeguard.targets.StorageFixture;
import safeguard.targets.TargetInput;
import safeguard.targets.Tls;

/** The per-target checks against the Scale simulator: read-only calls, one failure named per cause. */
class TargetChecksTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert).credentials("snapadmin", StorageFixture.PASSWORD);

    @TempDir
    Path tmp;
    StorageFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private List<Check> checks(TargetInput in) {
        fx = fx == null ? new StorageFixture(tmp, cert, scale) : fx;
        fx.targets.create(in);
        return new TargetChecks(fx.targets, fx.connector).of(fx.targets.target(in.name()));
    }

    private TargetInput scaleTarget(Tls tls) {
        fx = new StorageFixture(tmp, cert, scale);
        return fx.scale("scale-prod", tls, 5);
    }

    private static TargetInput with(TargetInput t, String password, int port, ScaleSettings s, Boolean dryRun) {
        return new TargetInput(t.kind(), t.name(), t.host(), port, t.username(), password, t.tls(),
                t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), s, t.csm(), t.cdm(), dryRun, null);
    }

    private static String states(List<Check> checks) {
        return checks.stream().map(c -> c.check() + ":" + c.subject() + "=" + c.state()).collect(Collectors.joining(" "));
    }

    private static Check only(List<Check> checks, String state) {
        List<Check> found = checks.stream().filter(c -> c.state().equals(state)).toList();
        assertEquals(1, found.size(), checks.toString());
        return found.get(0);
    }

    @Test
    void a_healthy_scale_target_passes_every_check_and_nothing_is_created() {
        List<Check> c = checks(scaleTarget(fx_trusted()));
        assertEquals("reachable:scale-prod=ok tls:scale-prod=ok credentials:scale-prod=ok allowed:scale-prod=ok "
                + "snapshot-headroom:scale-prod/sales=ok snapshot-headroom:scale-prod/hr=ok", states(c));
        assertEquals(0, scale.count("POST", ".*") + scale.count("PUT", ".*") + scale.count("DELETE", ".*"),
                scale.requests().toString());
    }

    private Tls fx_trusted() {
        return new Tls("verify", cert.pemText(), null);
    }

    @Test
    void a_rotated_password_fails_the_credentials_check_naming_the_user() {
        TargetInput t = scaleTarget(fx_trusted());
        Check failed = only(checks(with(t, "rotated-elsewhere", t.port(), t.scale(), null)), "failed");
        assertEquals("credentials", failed.check());
        assertEquals("scale-prod", failed.subject());
        assertTrue(failed.why().contains("snapadmin"), failed.why());
    }

    @Test
    void a_certificate_the_configured_trust_does_not_accept_fails_the_tls_check_not_reachability() {
        List<Check> c = checks(scaleTarget(new Tls("verify", null, null)));
        assertEquals("reachable:scale-prod=ok tls:scale-prod=failed", states(c));
        assertTrue(c.get(1).why().contains("certificate"), c.get(1).why());
    }

    @Test
    void nothing_listening_fails_the_reachable_check() {
        TargetInput t = scaleTarget(fx_trusted());
        List<Check> c = checks(with(t, t.password(), 9, t.scale(), null));
        assertEquals("reachable:scale-prod=failed", states(c));
        assertTrue(c.get(0).why().contains("localhost:9"), c.get(0).why());
    }

    @Test
    void a_fileset_the_cluster_does_not_have_fails_the_allowed_check_naming_it() {
        TargetInput t = scaleTarget(fx_trusted());
        ScaleSettings s = new ScaleSettings("gpfs01", "sales", List.of("sales", "finance"), "sgc", 168, 300, "UTC");
        Check failed = only(checks(with(t, t.password(), t.port(), s, null)), "failed");
        assertEquals("allowed", failed.check());
        assertTrue(failed.why().contains("finance"), failed.why());
    }

    @Test
    void a_fileset_near_the_256_snapshot_limit_warns_and_one_at_the_apps_guard_fails() {
        for (int i = 0; i < 250; i++) {
            scale.has("sales", "old-" + i, "2030-01-01-00:00");
        }
        for (int i = 0; i < 210; i++) {
            scale.has("hr", "old-" + i, "2030-01-01-00:00");
        }
        List<Check> c = checks(scaleTarget(fx_trusted()));
        assertTrue(states(c).endsWith("snapshot-headroom:scale-prod/sales=failed snapshot-headroom:scale-prod/hr=warning"),
                states(c));
        assertTrue(c.get(4).why().startsWith("250 of Scale's 256 snapshots"), c.get(4).why());
    }

    @Test
    void a_dry_run_target_is_at_risk_and_never_called() {
        TargetInput t = scaleTarget(fx_trusted());
        List<Check> c = checks(with(t, t.password(), t.port(), t.scale(), true));
        assertEquals("dry-run:scale-prod=failed", states(c));
        assertEquals(List.of(), scale.requests());
    }

    @Test
    void a_target_without_tls_verification_is_a_warning_not_a_failure() {
        List<Check> c = checks(scaleTarget(new Tls("insecure", null, null)));
        assertTrue(states(c).startsWith("reachable:scale-prod=ok tls:scale-prod=warning credentials:scale-prod=ok"),
                states(c));
        assertTrue(c.stream().noneMatch(Check::isFailed), states(c));
    }

    @Test
    void a_user_whose_role_is_refused_fails_the_allowed_check_not_the_credentials() {
        TargetInput t = scaleTarget(fx_trusted());
        scale.failNext("GET", ".*/filesystems/gpfs01", 403, 1);
        List<Check> c = checks(t);
        assertEquals("reachable:scale-prod=ok tls:scale-prod=ok credentials:scale-prod=ok allowed:scale-prod=failed",
                states(c));
    }
}
