package safeguard.scale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import safeguard.SimulatorHttp;
import safeguard.SimulatorHttp.Reply;
import safeguard.TestCerts;

/** The Scale simulator's live files, snapshot capture, snapshotCopy jobs and owner look-ups (RECOVER-FACTS.md). */
class ScaleSimulatorRecoveryTest {
    static final String SALES = "/gpfs/gpfs01/sales";
    static final String FSET_COPY = "/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshotCopy/";
    static final String JSON = "application/json";

    ScaleSimulator scale;
    SimulatorHttp http;
    /** Tests that send breaches on purpose clear this; the others end with no violation recorded. */
    boolean noViolations = true;

    @BeforeEach
    void start() {
        scale = ScaleSimulator.started(TestCerts.localhost(), 1);
        http = new SimulatorHttp(scale).with("Authorization",
                "Basic " + Base64.getEncoder().encodeToString("snapadmin:pw".getBytes(StandardCharsets.UTF_8)));
        scale.file(SALES + "/reports/q1.txt", "q1");
        scale.file(SALES + "/reports/deep/q2.txt", "q2");
        scale.file(SALES + "/reports-old/q0.txt", "q0");
        scale.file(SALES + "/readme.txt", "readme");
        scale.file("/gpfs/gpfs01/hr/pay.txt", "pay");
        scale.has("sales", "snap1", "2099-01-01-00:00");
        scale.file(SALES + "/reports/q1.txt", "ENCRYPTED"); // the attack, after the snapshot
    }

    @AfterEach
    void stop() {
        scale.close();
        if (noViolations) {
            assertEquals(List.of(), scale.violations());
        }
    }

    private Reply copy(String path, String body) {
        return http.send("PUT", path, JSON, body);
    }

    private JsonNode poll(Reply accepted) {
        return http.get("/scalemgmt/v2/jobs/" + accepted.json().at("/jobs/0/jobId").asText() + "?fields=:all:").json().at("/jobs/0");
    }

    @Test
    void a_snapshot_captures_the_live_files_under_its_junction_only() {
        assertEquals(Map.of(SALES + "/reports/q1.txt", "q1", SALES + "/reports/deep/q2.txt", "q2",
                SALES + "/reports-old/q0.txt", "q0", SALES + "/readme.txt", "readme"), scale.snapshotFiles("snap1"));
        scale.has(null, "global1", null);
        assertEquals("pay", scale.snapshotFiles("global1").get("/gpfs/gpfs01/hr/pay.txt"));
        assertEquals("ENCRYPTED", scale.snapshotFiles("global1").get(SALES + "/reports/q1.txt"));
        assertThrows(IllegalArgumentException.class, () -> scale.snapshotFiles("nope"));
    }

    @Test
    void a_created_snapshot_captures_the_files_as_they_are_when_its_job_completes() {
        Reply r = http.send("POST", "/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots", JSON,
                "{\"snapshotName\":\"snap2\"}");
        assertEquals(202, r.status());
        scale.file(SALES + "/late.txt", "before completion");
        assertEquals("RUNNING", poll(r).path("status").asText());
        assertEquals("COMPLETED", poll(r).path("status").asText());
        scale.file(SALES + "/later.txt", "after completion");
        SortedMap<String, String> snap = scale.snapshotFiles("snap2");
        assertEquals("before completion", snap.get(SALES + "/late.txt"));
        assertFalse(snap.containsKey(SALES + "/later.txt"));
    }

    @Test
    void a_snapshot_can_be_seeded_with_its_creation_time() {
        scale.has("sales", "old", "2099-01-01-00:00", Instant.parse("2026-11-20T08:30:00.250Z"));
        JsonNode one = http.get("/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots/old").json().at("/snapshots/0");
        assertEquals("2026-11-20 08:30:00,250", one.path("created").asText());
    }

    @Test
    void a_copy_job_copies_exactly_the_chosen_subtree_when_it_completes_and_not_before() {
        SortedMap<String, String> before = scale.files("/");
        String body = "{\"targetPath\":\"" + SALES + "/restore\"}";
        Reply r = copy(FSET_COPY + "snap1/path/%2Freports", body);
        assertEquals(202, r.status(), r.body());
        JsonNode job = r.json().at("/jobs/0");
        assertEquals("RUNNING", job.path("status").asText());
        assertEquals("PUT", job.at("/request/type").asText());
        assertEquals(body, job.at("/request/data").asText());
        assertEquals(1, scale.copies());

        // A client can recognise its own running copy in the job list by url and data.
        JsonNode listed = http.get("/scalemgmt/v2/jobs?fields=:all:").json().at("/jobs/0");
        assertEquals(FSET_COPY + "snap1/path/%2Freports", listed.at("/request/url").asText());
        assertEquals(body, listed.at("/request/data").asText());

        assertEquals("RUNNING", poll(r).path("status").asText());
        assertFalse(scale.exists(SALES + "/restore"), "nothing is copied while the job runs");
        assertEquals(before, scale.files("/"));

        JsonNode done = poll(r);
        assertEquals("COMPLETED", done.path("status").asText(), done.toString());
        assertEquals(Map.of(SALES + "/restore/q1.txt", "q1", SALES + "/restore/deep/q2.txt", "q2"), scale.files(SALES + "/restore"));
        SortedMap<String, String> expected = new TreeMap<>(before);
        expected.putAll(scale.files(SALES + "/restore"));
        assertEquals(expected, scale.files("/"), "nothing else changed (reports-old is not under reports)");
        assertEquals("ENCRYPTED", scale.files(SALES + "/reports/q1.txt").get(SALES + "/reports/q1.txt"));
    }

    @Test
    void copying_a_single_file_writes_it_to_the_target_path_itself() {
        Reply r = copy(FSET_COPY + "snap1/path/%2Freports%2Fq1.txt", "{\"targetPath\":\"" + SALES + "/q1.restored\"}");
        poll(r);
        assertEquals("COMPLETED", poll(r).path("status").asText());
        assertEquals(Map.of(SALES + "/q1.restored", "q1"), scale.files(SALES + "/q1.restored"));
    }

    @Test
    void a_global_snapshot_is_copied_from_relative_to_the_mount_point() {
        scale.has(null, "global1", null);
        Reply r = copy("/scalemgmt/v2/filesystems/gpfs01/snapshotCopy/global1/path/%2Fhr",
                "{\"targetPath\":\"/gpfs/gpfs01/eng/hr-copy\",\"nodeclassName\":\"all\",\"targetFilesystem\":\"gpfs01\","
                        + "\"targetFileset\":\"eng\",\"force\":false}");
        assertEquals(202, r.status(), r.body());
        poll(r);
        assertEquals("COMPLETED", poll(r).path("status").asText());
        assertEquals(Map.of("/gpfs/gpfs01/eng/hr-copy/pay.txt", "pay"), scale.files("/gpfs/gpfs01/eng"));
    }

    @Test
    void a_source_path_missing_in_the_snapshot_fails_the_job_with_efssg0264c() {
        scale.file(SALES + "/new/after.txt", "made after the snapshot");
        Reply r = copy(FSET_COPY + "snap1/path/%2Fnew", "{\"targetPath\":\"" + SALES + "/restore\"}");
        assertEquals(202, r.status());
        SortedMap<String, String> before = scale.files("/");
        poll(r);
        JsonNode done = poll(r);
        assertEquals("FAILED", done.path("status").asText());
        assertEquals("EFSSG0264C The path /new does not exist.", done.at("/result/stderr/0").asText());
        assertEquals(before, scale.files("/"));
    }

    @Test
    void an_existing_target_fails_the_job_unless_force_is_true_which_restores_in_place() {
        Reply refused = copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"" + SALES + "/reports\"}");
        poll(refused);
        JsonNode failed = poll(refused);
        assertEquals("FAILED", failed.path("status").asText());
        assertTrue(failed.at("/result/stderr/0").asText().startsWith("EFSSG0275C"), failed.toString());
        assertEquals("ENCRYPTED", scale.files(SALES + "/reports/q1.txt").get(SALES + "/reports/q1.txt"));

        Reply forced = copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"" + SALES + "/reports\",\"force\":true}");
        poll(forced);
        assertEquals("COMPLETED", poll(forced).path("status").asText());
        assertEquals("q1", scale.files(SALES + "/reports/q1.txt").get(SALES + "/reports/q1.txt"));
        assertEquals(2, scale.copies());
    }

    @Test
    void the_job_stderr_knob_fails_copy_jobs_too() {
        scale.jobStderr = "EFSSG0632C The command execution was aborted.";
        Reply r = copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"" + SALES + "/restore\"}");
        poll(r);
        assertEquals("FAILED", poll(r).path("status").asText());
        assertFalse(scale.exists(SALES + "/restore"));
    }

    @Test
    void an_unknown_snapshot_or_one_of_the_other_scope_is_400_and_makes_no_job() {
        Reply unknown = copy(FSET_COPY + "nope/path/%2Freports", "{\"targetPath\":\"" + SALES + "/restore\"}");
        assertEquals(400, unknown.status());
        assertEquals("Invalid value in 'snapshotName'", unknown.json().at("/status/message").asText());
        Reply viaGlobal = copy("/scalemgmt/v2/filesystems/gpfs01/snapshotCopy/snap1/path/%2Fsales",
                "{\"targetPath\":\"" + SALES + "/restore\"}");
        assertEquals(400, viaGlobal.status());
        assertEquals("Invalid value in 'snapshotName'", viaGlobal.json().at("/status/message").asText());
        Reply fileset = copy("/scalemgmt/v2/filesystems/gpfs01/filesets/finance/snapshotCopy/snap1/path/%2Fx",
                "{\"targetPath\":\"" + SALES + "/restore\"}");
        assertEquals(400, fileset.status());
        assertEquals(0, http.get("/scalemgmt/v2/jobs").json().path("jobs").size());
    }

    @Test
    void owner_answers_200_for_a_path_that_exists_and_400_file_not_found_otherwise() {
        Reply file = http.get("/scalemgmt/v2/filesystems/gpfs01/owner/%2Fsales%2Freports%2Fq1.txt");
        assertEquals(200, file.status());
        assertEquals("root", file.json().at("/owner/user").asText());
        assertEquals(200, http.get("/scalemgmt/v2/filesystems/gpfs01/owner/%2Fsales%2Freports").status(), "an implied directory");
        assertEquals(200, http.get("/scalemgmt/v2/filesystems/gpfs01/owner/%2Fops").status(), "an empty fileset's junction");
        assertEquals(200, http.get("/scalemgmt/v2/filesystems/gpfs01/owner/%2F").status(), "the mount point");
        Reply missing = http.get("/scalemgmt/v2/filesystems/gpfs01/owner/%2Fsales%2Frestore");
        assertEquals(400, missing.status());
        assertEquals("File not found: " + SALES + "/restore", missing.json().at("/status/message").asText());
    }

    @Test
    void file_system_and_fileset_answer_their_mount_point_and_junction() {
        JsonNode fs = http.get("/scalemgmt/v2/filesystems/gpfs01").json();
        assertEquals("/gpfs/gpfs01", fs.at("/filesystems/0/mount/mountPoint").asText());
        assertEquals("mounted", fs.at("/filesystems/0/mount/status").asText());
        JsonNode set = http.get("/scalemgmt/v2/filesystems/gpfs01/filesets/hr").json();
        assertEquals("hr", set.at("/filesets/0/filesetName").asText());
        assertEquals("gpfs01", set.at("/filesets/0/filesystemName").asText());
        assertEquals("/gpfs/gpfs01/hr", set.at("/filesets/0/config/path").asText());
        assertEquals(400, http.get("/scalemgmt/v2/filesystems/gpfs01/filesets/finance").status());
    }

    @Test
    void the_live_tree_knows_files_implied_directories_and_junctions() {
        assertTrue(scale.exists(SALES + "/reports/deep"));
        assertTrue(scale.exists("/gpfs/gpfs01/eng"));
        assertFalse(scale.exists(SALES + "/report"));
        assertEquals(2, scale.files(SALES + "/reports").size());
        assertThrows(IllegalArgumentException.class, () -> scale.file(SALES + "/readme.txt/x", "under a file"));
        assertThrows(IllegalArgumentException.class, () -> scale.file(SALES + "/reports", "over a directory"));
        assertThrows(IllegalArgumentException.class, () -> scale.file("/tmp/x", "outside the file system"));
    }

    @Test
    void requests_that_break_the_documented_contract_are_recorded_as_violations_and_take_no_effect() {
        noViolations = false;
        String target = "{\"targetPath\":\"" + SALES + "/restore\"}";
        List<Reply> breaches = List.of(
                http.send("PUT", FSET_COPY + "snap1/path/%2Freports", "text/plain", target),
                copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"restore\"}"),
                copy(FSET_COPY + "snap1/path/%2Freports", "{\"target\":\"" + SALES + "/restore\"}"),
                copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"" + SALES + "/restore\",\"force\":\"yes\"}"),
                copy(FSET_COPY + "snap1/path/%2Freports", "{\"targetPath\":\"/tmp/restore\"}"),
                copy(FSET_COPY + "snap1/path/reports", target),
                copy(FSET_COPY + "snap1/path/%2Freports/q1.txt", target),
                http.get("/scalemgmt/v2/filesystems/gpfs01/owner/sales%2Freports"));
        breaches.forEach(b -> assertEquals(400, b.status(), b.body()));
        assertEquals(breaches.size(), scale.violations().size(), scale.violations().toString());
        assertEquals(0, http.get("/scalemgmt/v2/jobs").json().path("jobs").size());
        assertEquals(7, scale.copies(), "every PUT that arrived is counted");
    }
}
