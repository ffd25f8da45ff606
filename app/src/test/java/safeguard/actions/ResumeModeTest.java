package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ConflictException;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.journal.Journal;
import safeguard.scale.ScaleSimulator;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.Tls;

/** A restart resumes exactly what was asked, or nothing; an idempotency key stands for one request only. */
class ResumeModeTest {
    static final TestCerts cert = TestCerts.localhost();
    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @TempDir
    Path tmp;
    ScaleActions s;

    @AfterEach
    void stop() {
        if (s != null) {
            s.close();
        }
    }

    private ScaleActions start() throws Exception {
        scale.pollsToComplete = 0;
        s = new ScaleActions(tmp, scale, cert, ScaleActions.filesets("sales", List.of("sales", "hr"), null), Clock.systemUTC());
        return s;
    }

    /** The journal a crashed app left: records written before it died, nothing after. */
    private Journal before() {
        return new Journal(tmp.resolve("store/journal"), 1 << 20, Clock.systemUTC());
    }

    @Test
    void a_dry_run_whose_outcome_record_was_torn_by_a_crash_stays_a_dry_run_after_the_restart() throws Exception {
        Journal j = before();
        ObjectNode accepted = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", "scale1")
                .put("scope", "sales").put("dryRun", true);
        accepted.putObject("plan").put("fileSystem", "gpfs01").put("fileset", "sales")
                .put("snapshot", "sgc-sales-20261124T101503Z-0c0d").put("expiresAt", "2026-11-25T10:15:03Z")
                .put("clusterTimeZone", "UTC");
        j.append("a-20261124T101503Z-0a0b0c0d", "accepted", accepted);
        j.close(); // the "dry-run" record never made it to disk
        start();
        ActionDetail d = s.awaitEnd("a-20261124T101503Z-0a0b0c0d");
        assertEquals("dry-run", d.action().status(), d.toString());
        assertTrue(d.action().dryRun());
        assertEquals(0, scale.requests().size(), "nothing was called: " + scale.requests());
        assertTrue(d.timeline().get(1).data().get("reason").asText().contains("stays a dry run"));
    }

    @Test
    void an_action_whose_accept_record_is_lost_is_not_run_and_shows_as_unrecoverable() throws Exception {
        Journal j = before();
        String id = "a-20261124T101503Z-0e0f1011";
        j.append(id, "started", Json.mapper().createObjectNode());
        j.append(id, "request", Json.mapper().createObjectNode().put("call", "1.1").put("operation", "list snapshots")
                .put("request", "GET /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots"));
        j.close();
        start();
        ActionDetail d = s.actions.detail(id);
        assertEquals("unrecoverable", d.action().status());
        assertTrue(d.action().error().contains("accept record"), d.action().error());
        assertEquals(0, scale.requests().size(), "not run");
        assertTrue(s.actions.list(null, "unrecoverable", null, null, 10).items().stream().anyMatch(a -> a.id().equals(id)),
                "visible in the tab");
        s.close();
        s = null;
        start();
        assertEquals("unrecoverable", s.actions.detail(id).action().status(), "once, and still so after a restart");
        assertEquals(1, s.actions.detail(id).timeline().stream().filter(x -> x.event().equals("unrecoverable")).count());
    }

    @Test
    void one_idempotency_key_for_two_targets_is_a_conflict_naming_the_key_and_the_second_target_is_not_pre_empted() throws Exception {
        start();
        s.targets.create(new TargetInput("scale", "scale2", "localhost", scale.port(), "snapadmin", "pw",
                new Tls("pinned", null, safeguard.http.PeerTrust.fingerprint(safeguard.http.TlsTrust.readPem(cert.pem()).get(0))),
                2, 10, new ScaleSettings("gpfs01", "hr", List.of("hr"), "sgc", 24, 600, "UTC"), null, null, null));
        ActionAnswer first = s.actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "k-1", null, null, null));
        assertEquals("accepted", first.status());
        ConflictException e = assertThrows(ConflictException.class,
                () -> s.actions.submit(new ActionRequest("scale-snapshot", "scale2", null, "k-1", null, null, null)));
        assertEquals("idempotencyKey", e.field());
        assertTrue(e.getMessage().contains("on target scale1 (scope sales), not for this scale-snapshot on scale2 (scope hr)"),
                e.getMessage());
        assertEquals(first, s.actions.submit(new ActionRequest("scale-snapshot", "scale1", null, "k-1", null, null, null)),
                "the same request with its key: the same answer");
        assertThrows(ConflictException.class, () -> s.actions.submit(new ActionRequest("scale-snapshot", "scale1", null,
                "k-1", "hr", null, null)), "another scope on the same target is another request too");
        ActionAnswer second = s.actions.submit(new ActionRequest("scale-snapshot", "scale2", null, "k-2", null, null, null));
        assertEquals("accepted", second.status(), "scale2 acted on with its own key");
        assertEquals("protected", s.awaitEnd(second.id()).action().status());
    }
}
