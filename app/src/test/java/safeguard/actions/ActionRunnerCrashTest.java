package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.cdm.CdmSimulator;
import safeguard.csm.CsmSimulator;
import safeguard.http.RetryPolicy;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;
import safeguard.targets.CdmSettings;
import safeguard.targets.Connector;
import safeguard.targets.CsmSettings;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * The app "dies" at each step boundary of the call that creates the copy — its journal refuses the next record,
 * as a killed process writes none — and a resumed run on the same journal and the same (stateful) storage
 * system must end with exactly one copy and a journal that says what happened.
 */
class ActionRunnerCrashTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert);
    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert);
    @TempDir
    Path tmp;

    enum Boundary {
        /** The app dies as the request that creates the copy is about to be journaled (so it is never sent). */
        BEFORE_SEND,
        /** Sent and acted on; the app dies before its answer is journaled. */
        AFTER_SEND,
        /** The answer is journaled; the app dies before the first status check. */
        AFTER_ANSWER,
        /** One status check done; the app dies at the next. */
        DURING_POLLING
    }

    static Stream<Arguments> cases() {
        List<Arguments> all = new ArrayList<>();
        for (String type : List.of("scale-snapshot", "csm-backup", "cdm-restore", "cdm-cleanroom")) {
            for (Boundary b : Boundary.values()) {
                all.add(Arguments.of(type, b));
            }
        }
        return all.stream();
    }

    static final class Crash extends RuntimeException {
        Crash() {
            super("kill -9");
        }
    }

    /** The action's journal, in memory; it refuses (and so records nothing more) at the boundary. */
    static final class CrashingLog implements ActionLog {
        final List<Map.Entry<String, JsonNode>> records;
        final Boundary crashAt;
        String creatingCall;
        boolean createAnswered;
        int checksAfter;

        CrashingLog(List<Map.Entry<String, JsonNode>> records, Boundary crashAt) {
            this.records = records;
            this.crashAt = crashAt;
        }

        @Override
        public void record(String event, JsonNode data) {
            boolean request = event.equals("request");
            if (crashAt != null) {
                boolean crash = switch (crashAt) {
                    case BEFORE_SEND -> request && data.has("creates");
                    case AFTER_SEND -> event.equals("answer") && data.get("call").asText().equals(creatingCall);
                    case AFTER_ANSWER -> createAnswered;
                    case DURING_POLLING -> request && createAnswered && ++checksAfter == 2;
                };
                if (crash) {
                    throw new Crash();
                }
            }
            if (request && data.has("creates")) {
                creatingCall = data.get("call").asText();
            }
            if (event.equals("answer") && data.get("call").asText().equals(creatingCall)) {
                createAnswered = true;
            }
            records.add(Map.entry(event, data));
        }
    }

    private Connector connector() {
        TargetService targets = new TargetService(Store.open(tmp.resolve("store")));
        Tls trusted = new Tls("verify", cert.pemText(), null);
        targets.create(new TargetInput("scale", "scale1", "localhost", scale.port(), "snapadmin", "pw", trusted, 2, 10,
                new ScaleSettings("gpfs01", "sales", List.of("sales"), "sgc", 24, 600, "UTC"), null, null, null, null));
        targets.create(new TargetInput("csm", "csm1", "localhost", csm.port(), "csmadmin", "pw", trusted, 2, 10, null,
                new CsmSettings("SGC_DB1", "Backup", null, List.of()), null, null, null));
        targets.create(new TargetInput("cdm", "cdm1", "localhost", cdm.port(), "cdmadmin", "pw", trusted, 2, 10, null, null,
                new CdmSettings("SQL-CleanRoom-Restore", 10, List.of()), null, null));
        return new Connector(targets, Optional.empty(), ProxySettings.NONE,
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO, d -> { }), d -> { });
    }

    private static ActionState action(String type, Instant accepted) {
        Map<String, String> plan = new LinkedHashMap<>();
        String target = switch (type) {
            case "scale-snapshot" -> {
                plan.put("fileSystem", "gpfs01");
                plan.put("fileset", "sales");
                plan.put("snapshot", "sgc-sales-20261124T101503Z-1a2b");
                plan.put("expiresAt", accepted.plus(Duration.ofHours(24)).toString());
                plan.put("clusterTimeZone", "UTC");
                yield "scale1";
            }
            case "csm-backup" -> {
                plan.put("session", "SGC_DB1");
                plan.put("command", "Backup");
                yield "csm1";
            }
            default -> {
                plan.put("job", "SQL-CleanRoom-Restore");
                yield "cdm1";
            }
        };
        return new ActionState("a-20261124T101503Z-1a2b", type, target, "x", null, accepted, plan, false, null, "running");
    }

    /** Copies on the storage system, and how many times one was asked for. */
    private long copies(String type) {
        return switch (type) {
            case "scale-snapshot" -> scale.created();
            case "csm-backup" -> csm.backups("SGC_DB1").size() - 1;
            default -> cdm.started("1005");
        };
    }

    static Stream<Boundary> boundaries() {
        return Stream.of(Boundary.values());
    }

    @ParameterizedTest(name = "scale-restore dies {0}")
    @MethodSource("boundaries")
    void a_restore_that_dies_at_a_step_boundary_resumes_without_a_second_copy(Boundary at) {
        scale.pollsToComplete = 2;
        scale.file("/gpfs/gpfs01/sales/reports/q1.txt", "q1 clean");
        scale.file("/gpfs/gpfs01/sales/reports/deep/q2.txt", "q2 clean");
        scale.file("/gpfs/gpfs01/sales/other/x.txt", "x");
        scale.has("sales", "sgc-before", "2030-01-01-00:00", Instant.now().minusSeconds(3600));
        scale.file("/gpfs/gpfs01/sales/reports/q1.txt", "ENCRYPTED");
        Connector connector = connector();
        Map<String, String> plan = RestorePlans.of(new safeguard.scale.ScaleCopies.Plan("gpfs01", "sales", "sgc-before",
                new safeguard.scale.ScaleCopies.Layout("/gpfs/gpfs01", "/gpfs/gpfs01/sales"),
                List.of(new safeguard.scale.ScaleCopies.Copy("/gpfs/gpfs01/sales/reports",
                        "/gpfs/gpfs01/sales/reports.restored-sgc-before")), false));
        ActionState s = new ActionState("a-20261124T101503Z-9c9c", "scale-restore", "scale1", "recovery", null,
                Instant.now().minusMillis(50), plan, false, null, "running");
        List<Map.Entry<String, JsonNode>> journal = new ArrayList<>();

        assertThrows(IllegalStateException.class, () -> new ActionRunner(connector).run(s, false, new CrashingLog(journal, at)));
        boolean sent = at != Boundary.BEFORE_SEND;
        assertEquals(sent ? 1 : 0, scale.copies(), "what reached Scale before the crash");

        Outcome o = new ActionRunner(connector).run(s, true, new CrashingLog(journal, null));

        assertEquals("restored", o.status(), o.toString());
        assertEquals(1, scale.copies(), "one copy asked for in all: the resumed run followed the earlier job");
        assertEquals(sent, o.result().containsKey("copy.1.adopted"), o.toString());
        assertEquals(Map.of("/gpfs/gpfs01/sales/reports.restored-sgc-before/q1.txt", "q1 clean",
                        "/gpfs/gpfs01/sales/reports.restored-sgc-before/deep/q2.txt", "q2 clean"),
                scale.files("/gpfs/gpfs01/sales/reports.restored-sgc-before"), "exactly the chosen folder, as it was");
        assertEquals("ENCRYPTED", scale.files("/gpfs/gpfs01/sales/reports").get("/gpfs/gpfs01/sales/reports/q1.txt"),
                "live data untouched");
    }

    private long asked(String type) {
        return switch (type) {
            case "scale-snapshot" -> scale.creates();
            case "csm-backup" -> csm.backupCommands();
            default -> cdm.count("POST", "/api/endeavour/job/1005");
        };
    }

    @ParameterizedTest(name = "{0} dies {1}")
    @MethodSource("cases")
    void an_action_that_dies_at_a_step_boundary_resumes_to_exactly_one_copy_and_says_what_happened(String type, Boundary at) {
        scale.pollsToComplete = 1;
        csm.backupShowsAfterReads = 1;
        cdm.readsToFinish = 1;
        Connector connector = connector();
        Instant accepted = Instant.now().minusMillis(50);
        ActionState s = action(type, accepted);
        String expected = type.equals("cdm-cleanroom") ? "restored" : "protected";
        List<Map.Entry<String, JsonNode>> journal = new ArrayList<>();

        IllegalStateException died = assertThrows(IllegalStateException.class,
                () -> new ActionRunner(connector).run(s, false, new CrashingLog(journal, at)));
        assertInstanceOf(Crash.class, died.getCause(), "no outcome is made up when the journal cannot record");
        List<String> before = journal.stream().map(e -> e.getKey() + " " + e.getValue().path("operation").asText()).toList();
        boolean sent = at != Boundary.BEFORE_SEND;
        assertEquals(sent, journal.stream().anyMatch(e -> e.getValue().has("creates")),
                "the create is journaled before it is sent, and only then: " + before);
        assertEquals(sent ? 1 : 0, asked(type), "what reached the storage system: " + before);

        Outcome o = new ActionRunner(connector).run(s, true, new CrashingLog(journal, null));

        assertEquals(expected, o.status(), o.toString());
        assertEquals(1, copies(type), "exactly one copy");
        assertEquals(1, asked(type), "asked once in all");
        assertEquals(sent, o.result().containsKey("adopted"), "the resumed run says it adopted the earlier copy: " + o);
        List<Map.Entry<String, JsonNode>> resumed = journal.subList(before.size(), journal.size());
        assertTrue(resumed.get(0).getValue().get("call").asText().startsWith("r"), "the resumed run's calls have ids of their own");
        assertFalse(resumed.get(0).getValue().has("creates"), "a resumed run first looks, then asks: " + resumed);
        long requests = journal.stream().filter(e -> e.getKey().equals("request")).count();
        long answers = journal.stream().filter(e -> e.getKey().equals("answer")).count();
        // Only a crash between sending and journaling the answer leaves a request without its answer.
        assertEquals(at == Boundary.AFTER_SEND ? requests - 1 : requests, answers);
    }
}
