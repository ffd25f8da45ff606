package safeguard.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.CallObserver;
import safeguard.http.CallRecord;
import safeguard.http.Protection;
import safeguard.http.Verdict;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.StorageFixture;
import safeguard.targets.TargetInput;

/** Storage Scale management API v2, against the stateful simulator of storage-apis.md §1. */
class ScaleClientTest {
    static final String NAME = "sgc-sales-20991102T101503Z-1a2b";
    static final Instant EXPIRES = Instant.parse("2099-05-09T10:15:03Z");

    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @TempDir
    Path tmp;
    StorageFixture f;
    List<CallRecord> calls = List.of();
    final List<Integer> pausesAtPoll = new ArrayList<>();

    @BeforeEach
    void start() {
        scale.credentials("snapadmin", StorageFixture.PASSWORD);
        f = new StorageFixture(tmp, cert, scale);
        f.targets.create(f.scale("scale1", f.trusted(), 5));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private Protection create(boolean lookFirst) {
        try (Connector.Session s = f.connector.open("scale1")) {
            s.upstream().observe(new CallObserver() {
                @Override
                public void sending(Call call) {
                    if (call.operation().equals("poll job")) {
                        pausesAtPoll.add(f.pollPauses.size());
                    }
                }

                @Override
                public void answered(Call call, CallRecord answer) {
                }
            });
            Protection p = f.connector.scale(s).createSnapshot("gpfs01", "sales", NAME, EXPIRES, ZoneId.of("UTC"), lookFirst);
            calls = s.upstream().calls();
            return p;
        }
    }

    private void confirmWithin(int seconds) {
        f.targets.update("scale1", StorageFixture.confirming(f.scale("scale1", f.trusted(), 5), seconds));
    }

    @Test
    void a_snapshot_is_created_checked_at_once_and_read_back_as_protected() {
        scale.pollsToComplete = 2;
        Protection p = create(false);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals(NAME, p.details().get("snapshot"));
        assertEquals("2099-05-09-10:15", p.details().get("expirationTime"));
        assertEquals("2099-05-09T10:15:00Z", p.details().get("expiresAt"));
        assertEquals("2099-05-09T10:15:03Z", p.details().get("plannedExpiresAt"));
        assertEquals(0, pausesAtPoll.get(0), "the first status check comes before any pause");
        assertEquals(3, scale.polls());
        assertEquals(List.of(NAME), scale.names());
        assertTrue(calls.stream().noneMatch(c -> c.toString().contains(StorageFixture.PASSWORD)));
    }

    @Test
    void a_read_back_answered_with_another_400_than_no_such_snapshot_is_unconfirmed_not_a_missing_copy() {
        scale.failNext("GET", ".*/snapshots/" + NAME, 400, 1); // e.g. the fileset unlinked meanwhile
        Protection p = create(false);
        assertEquals(Verdict.UNKNOWN, p.verdict(), p.toString());
        assertTrue(p.error().contains("HTTP 400"), p.error());
        assertEquals(List.of(NAME), scale.names(), "the copy is there after all");
    }

    @Test
    void a_snapshot_kept_to_another_expiry_is_protected_but_not_as_planned_with_both_values() {
        scale.expirationOverride = "2099-05-02-10:15";
        Protection p = create(false);
        assertEquals(Verdict.PROTECTED_NOT_AS_PLANNED, p.verdict(), p.toString());
        assertEquals("2099-05-09T10:15:03Z", p.details().get("plannedExpiresAt"));
        assertEquals("2099-05-02T10:15:00Z", p.details().get("expiresAt"));
        assertEquals("snapshot " + NAME + " exists but expires 2099-05-02-10:15, planned 2099-05-09-10:15", p.error());
    }

    @Test
    void an_expiration_spelled_as_another_release_spells_it_is_compared_to_the_minute() {
        scale.longExpirationFormat = true;
        Protection p = create(false);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("2099-05-09 10:15:00,000", p.details().get("expirationTime"));
        assertEquals("2099-05-09T10:15:00Z", p.details().get("expiresAt"));
    }

    @Test
    void a_second_create_of_the_same_name_is_told_it_exists_and_is_protected_by_the_first() {
        assertEquals(Verdict.PROTECTED, create(false).verdict());
        Protection again = create(false);
        assertEquals(Verdict.PROTECTED, again.verdict(), again.toString());
        assertTrue(again.details().get("note").contains("EFSSP1102C"));
        assertEquals(2, scale.creates());
        assertEquals(1, scale.snapshots().size(), "one snapshot, not two");
    }

    @Test
    void a_failed_job_is_not_protected_and_says_scales_stderr() {
        scale.jobStderr = "EFSSG0740C There are not enough resources available to create a new snapshot.";
        Protection p = create(false);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("job 1000000000012 FAILED: EFSSG0740C There are not enough resources available to create a new snapshot.",
                p.error());
    }

    @Test
    void a_job_still_running_at_the_confirmation_bound_is_unknown_and_waits_no_longer() {
        confirmWithin(30);
        scale.pollsToComplete = 1_000_000;
        Protection p = create(false);
        assertEquals(Verdict.UNKNOWN, p.verdict());
        assertTrue(p.error().startsWith("job 1000000000012 still running after 30 s"), p.error());
        assertEquals(Duration.ofSeconds(30), f.pollPauses.stream().reduce(Duration.ZERO, Duration::plus),
                "the last check is made at the bound, none after it");
        long first = f.pollPauses.get(0).toMillis();
        assertTrue(first >= 800 && first <= 1200, "1 s with ±20 % jitter: " + first);
    }

    @Test
    void a_resumed_action_adopts_its_snapshot_instead_of_asking_again() {
        scale.has("sales", NAME, "2099-05-09-10:15");
        Protection p = create(true);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("the snapshot existed when the action resumed", p.details().get("adopted"));
        assertEquals(0, scale.creates());
    }

    @Test
    void a_resumed_action_follows_the_job_still_creating_its_snapshot() {
        confirmWithin(5);
        scale.pollsToComplete = 1_000_000;
        assertEquals(Verdict.UNKNOWN, create(false).verdict());
        scale.pollsToComplete = 0;
        Protection p = create(true);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertTrue(p.details().get("adopted").startsWith("job 1000000000012 was creating the snapshot"), p.toString());
        assertEquals(1, scale.creates(), "asked once");
    }

    @Test
    void a_fileset_near_scales_limit_is_refused_before_anything_is_created() {
        for (int i = 0; i < 250; i++) {
            scale.has("sales", "s" + i, "2099-01-01-00:00");
        }
        Protection p = create(false);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals("sales holds 250 snapshots; refusing to create more than 250 of Scale's 256", p.error());
        assertEquals(0, scale.creates());
    }

    @Test
    void a_500_is_retried_and_the_snapshot_is_still_made_once() {
        scale.failNext("POST", ".*/snapshots", 500, 1);
        Protection p = create(false);
        assertEquals(Verdict.PROTECTED, p.verdict(), p.toString());
        assertEquals("HTTP 500, retrying", calls.stream().filter(c -> c.operation().equals("create snapshot"))
                .findFirst().orElseThrow().outcome());
        assertEquals(1, scale.snapshots().size());
    }

    @Test
    void a_timeout_is_retried_within_bounds_then_reported_and_nothing_was_asked() {
        f.targets.update("scale1", f.scale("scale1", f.trusted(), 1));
        scale.delay("GET", ".*/filesets/sales/snapshots", 2500);
        Protection p = create(false);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict(), "the create was never sent");
        assertEquals("timed out", p.error());
        assertEquals(3, calls.size(), "three attempts, then give up");
        assertEquals(0, scale.creates());
    }

    @Test
    void test_connection_finds_the_file_system_and_names_an_unknown_fileset() {
        f.targets.create(new TargetInput("scale", "scale2", "localhost", f.port(), "snapadmin", StorageFixture.PASSWORD,
                f.trusted(), 2, 5, new ScaleSettings("gpfs01", "sales", List.of("sales", "finance"), "sgc", 168, 300, "UTC"),
                null, null, null, null));
        var result = f.connector.test("scale2");
        assertFalse(result.ok());
        assertEquals("fileset 'finance' not found in gpfs01: HTTP 400: EFSSG0072C Invalid value in 'filesetName'", result.error());
        assertEquals("5.2.3.0", result.found().get("serverVersion"));
        assertEquals(safeguard.http.PeerTrust.fingerprint(certificate(cert)), result.serverCertificateSha256());
    }

    @Test
    void test_connection_names_an_unknown_file_system() {
        f.targets.create(new TargetInput("scale", "scale2", "localhost", f.port(), "snapadmin", StorageFixture.PASSWORD,
                f.trusted(), 2, 5, new ScaleSettings("gpfs09", null, List.of(), "sgc", 168, 300, "UTC"), null, null, null, null));
        var result = f.connector.test("scale2");
        assertEquals("file system 'gpfs09' not found: HTTP 400: Invalid value in 'filesystemName'", result.error());
    }

    @Test
    void a_wrong_password_is_named_as_such_whichever_call_meets_it() {
        scale.credentials("snapadmin", "another password");
        String refused = "Scale refused the credentials of user 'snapadmin' (HTTP 401): check the user name and password";
        var result = f.connector.test("scale1");
        assertFalse(result.ok());
        assertEquals(refused, result.error());
        assertFalse(result.toString().contains(StorageFixture.PASSWORD));
        Protection p = create(false);
        assertEquals(Verdict.NOT_PROTECTED, p.verdict());
        assertEquals(refused, p.error());
        assertEquals(1, calls.size(), "a refusal is not retried");
    }

    @Test
    void the_simulator_refuses_to_delete_a_safeguarded_snapshot_before_it_expires() {
        scale.has("sales", NAME, "2099-05-09-10:15");
        scale.pollsToComplete = 0;
        String path = "/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots/" + NAME;
        try (Connector.Session s = f.connector.open("scale1")) {
            var r = s.upstream().send("delete", "DELETE", path, h -> h.delete(s.upstream().url(path))
                    .basicAuth("snapadmin", StorageFixture.PASSWORD));
            assertEquals(202, r.status());
            String job = "/scalemgmt/v2/jobs/" + r.json().at("/jobs/0/jobId").asText();
            var polled = s.upstream().send("poll", "GET", job, h -> h.get(s.upstream().url(job))
                    .basicAuth("snapadmin", StorageFixture.PASSWORD));
            assertEquals("FAILED", polled.json().at("/jobs/0/status").asText());
        }
        assertEquals(List.of(NAME), scale.names(), "immutable until it expires");
        assertNull(scale.expirationOverride);
    }

    static java.security.cert.X509Certificate certificate(TestCerts c) {
        try {
            return safeguard.http.TlsTrust.readPem(c.pem()).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
