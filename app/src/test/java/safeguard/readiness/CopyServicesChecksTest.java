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
import safeguard.StorageSimulator;
import safeguard.TestCerts;
import safeguard.cdm.CdmSimulator;
import safeguard.csm.CsmSimulator;
import safeguard.targets.CdmSettings;
import safeguard.targets.CsmSettings;
import safeguard.targets.StorageFixture;
import safeguard.targets.TargetInput;

/** The per-target checks against the CSM and CDM simulators: the session's command, the task, the job. */
class CopyServicesChecksTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert).credentials("csmadmin", StorageFixture.PASSWORD);
    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert).credentials("cdmadmin", StorageFixture.PASSWORD);

    @TempDir
    Path tmp;
    StorageFixture fx;

    @AfterEach
    void close() {
        if (fx != null) {
            fx.close();
        }
    }

    private List<Check> checks(StorageSimulator sim, java.util.function.Function<StorageFixture, TargetInput> target) {
        fx = new StorageFixture(tmp, cert, sim);
        TargetInput in = target.apply(fx);
        fx.targets.create(in);
        return new TargetChecks(fx.targets, fx.connector).of(fx.targets.target(in.name()));
    }

    private static String states(List<Check> checks) {
        return checks.stream().map(c -> c.check() + "=" + c.state()).collect(Collectors.joining(" "));
    }

    @Test
    void a_csm_session_that_offers_its_command_passes() {
        List<Check> c = checks(csm, f -> f.csm("ds8k", new CsmSettings("SGC_DB1", "Backup", null, List.of())));
        assertEquals("reachable=ok tls=ok credentials=ok allowed=ok", states(c));
        assertEquals(0, csm.backupCommands());
    }

    @Test
    void a_csm_session_whose_state_no_longer_offers_backup_fails_the_allowed_check() {
        csm.offers("SGC_DB1", "Recover", "Refresh States");
        List<Check> c = checks(csm, f -> f.csm("ds8k", new CsmSettings("SGC_DB1", "Backup", null, List.of())));
        assertEquals("reachable=ok tls=ok credentials=ok allowed=failed", states(c));
        assertTrue(c.get(3).why().contains("'Backup' is not available"), c.get(3).why());
        assertTrue(c.get(3).why().contains("Recover, Refresh States"), c.get(3).why());
    }

    @Test
    void a_csm_scheduled_task_that_is_gone_fails_the_allowed_check() {
        List<Check> c = checks(csm, f -> f.csm("ds8k", new CsmSettings(null, null, "SGC Backup DB9", List.of())));
        assertEquals("allowed=failed", states(c.subList(3, 4)));
        assertTrue(c.get(3).why().contains("SGC Backup DB9"), c.get(3).why());
    }

    @Test
    void a_cdm_job_that_exists_passes_and_is_not_started() {
        List<Check> c = checks(cdm, f -> f.cdm("cdm"));
        assertEquals("reachable=ok tls=ok credentials=ok allowed=ok", states(c));
        assertEquals(0, cdm.started("1005"));
    }

    @Test
    void a_cdm_job_renamed_or_deleted_fails_the_allowed_check_naming_it() {
        List<Check> c = checks(cdm, f -> {
            TargetInput t = f.cdm("cdm");
            return new TargetInput(t.kind(), t.name(), t.host(), t.port(), t.username(), t.password(), t.tls(),
                    t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), null, null,
                    new CdmSettings("Oracle-CleanRoom", 5, List.of()), null, null);
        });
        assertEquals("reachable=ok tls=ok credentials=ok allowed=failed", states(c));
        assertTrue(c.get(3).why().contains("Oracle-CleanRoom"), c.get(3).why());
    }
}
