package safeguard.scale;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.equalToJson;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.http.StepResult;
import safeguard.targets.Connector;
import safeguard.targets.StorageFixture;

/** Storage Scale management API v2, simulated with the request/response shapes of IBM's docs and CSI driver. */
class ScaleClientTest {
    static final String SNAPSHOTS = "/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots";
    static final String NAME = "sgc-sales-20240502T101503Z";
    static final Instant EXPIRES = Instant.parse("2024-05-09T10:15:03Z");

    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    StorageFixture f;


    @BeforeEach
    void start() {
        f = new StorageFixture(tmp, cert);
        f.targets.create(f.scale("scale1", f.trusted(), 5));
    }

    @AfterEach
    void stop() {
        f.close();
    }

    private StepResult create() {
        try (Connector.Session s = f.connector.open("scale1")) {
            return f.connector.scale(s).createSnapshot("gpfs01", "sales", NAME, EXPIRES, ZoneId.of("UTC"));
        }
    }

    static String job(String status, String stderr) {
        return "{\"jobs\":[{\"jobId\":1000000000012,\"status\":\"" + status + "\",\"submitted\":\"2024-05-02 10:15:03,120\","
                + "\"request\":{\"type\":\"POST\",\"url\":\"" + SNAPSHOTS + "\"},"
                + "\"result\":{\"exitCode\":" + (stderr == null ? 0 : 1) + ",\"stderr\":[" + (stderr == null ? "" : "\"" + stderr + "\"") + "]},"
                + "\"pids\":[]}],\"status\":{\"code\":200,\"message\":\"The request finished successfully.\"}}";
    }

    void emptyListing() {
        f.wm.stubFor(get(urlPathEqualTo(SNAPSHOTS)).willReturn(okJson("{\"snapshots\":[],\"status\":{\"code\":200}}")));
    }

    void accepted() {
        f.wm.stubFor(post(urlPathEqualTo(SNAPSHOTS)).willReturn(aResponse().withStatus(202)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"jobs\":[{\"jobId\":1000000000012,\"status\":\"RUNNING\"}],"
                        + "\"status\":{\"code\":202,\"message\":\"The request was accepted for processing.\"}}")));
    }

    void readBack(String expiration) {
        f.wm.stubFor(get(urlPathEqualTo(SNAPSHOTS + "/" + NAME)).willReturn(okJson(
                "{\"snapshots\":[{\"snapshotName\":\"" + NAME + "\",\"filesystemName\":\"gpfs01\",\"filesetName\":\"sales\","
                        + "\"status\":\"Valid\",\"created\":\"2024-05-02 10:15:05,000\",\"expirationTime\":\"" + expiration + "\"}],"
                        + "\"status\":{\"code\":200}}")));
    }

    void jobStates(String... states) {
        String state = Scenario.STARTED;
        for (int i = 0; i < states.length; i++) {
            String next = i == states.length - 1 ? state : "poll-" + (i + 1);
            f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/jobs/1000000000012")).inScenario("job").whenScenarioStateIs(state)
                    .willReturn(okJson(states[i])).willSetStateTo(next));
            state = next;
        }
    }

    @Test
    void a_snapshot_is_created_with_its_expiration_polled_to_completion_and_read_back() {
        emptyListing();
        accepted();
        jobStates(job("RUNNING", null), job("RUNNING", null), job("RUNNING", null), job("COMPLETED", null));
        readBack("2024-05-09-10:15");

        StepResult r = create();

        assertTrue(r.ok(), r.toString());
        assertTrue(r.verified());
        assertEquals(NAME, r.details().get("snapshot"));
        assertEquals("2024-05-09-10:15", r.details().get("expirationTime"));
        f.wm.verify(postRequestedFor(urlPathEqualTo(SNAPSHOTS))
                .withBasicAuth(new com.github.tomakehurst.wiremock.client.BasicCredentials("snapadmin", StorageFixture.PASSWORD))
                .withRequestBody(equalToJson("{\"snapshotName\":\"" + NAME + "\",\"expirationTime\":\"2024-05-09-10:15\"}")));
        assertEquals(4, r.calls().stream().filter(c -> c.operation().equals("poll job")).count());
        assertTrue(r.calls().stream().noneMatch(c -> c.toString().contains(StorageFixture.PASSWORD)));
    }

    @Test
    void a_failed_job_reports_scale_stderr() {
        emptyListing();
        accepted();
        jobStates(job("RUNNING", null), job("FAILED", "EFSSG0740C There are not enough resources available to create a new snapshot."));
        StepResult r = create();
        assertFalse(r.ok());
        assertEquals("job 1000000000012 FAILED: EFSSG0740C There are not enough resources available to create a new snapshot.",
                r.error());
    }

    @Test
    void already_exists_counts_as_success_once_read_back() {
        emptyListing();
        accepted();
        jobStates(job("FAILED", "EFSSP1102C The snapshot sgc-sales-20240502T101503Z already exists."));
        readBack("2024-05-09-10:15");
        StepResult r = create();
        assertTrue(r.ok(), r.toString());
        assertTrue(r.details().get("note").contains("EFSSP1102C"));
    }

    @Test
    void a_500_is_retried_and_then_succeeds() {
        emptyListing();
        f.wm.stubFor(post(urlPathEqualTo(SNAPSHOTS)).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(500).withBody("{\"status\":{\"code\":500,\"message\":\"Internal error\"}}"))
                .willSetStateTo("ok"));
        f.wm.stubFor(post(urlPathEqualTo(SNAPSHOTS)).inScenario("flaky").whenScenarioStateIs("ok")
                .willReturn(aResponse().withStatus(202).withHeader("Content-Type", "application/json")
                        .withBody("{\"jobs\":[{\"jobId\":\"1000000000012\",\"status\":\"RUNNING\"}]}")));
        jobStates(job("COMPLETED", null));
        readBack("2024-05-09 10:15:00,000");
        StepResult r = create();
        assertTrue(r.ok(), r.toString());
        assertEquals("HTTP 500, retrying", r.calls().stream().filter(c -> c.operation().equals("create snapshot"))
                .findFirst().orElseThrow().outcome());
    }

    @Test
    void a_job_that_never_ends_is_reported_not_waited_on_forever() {
        emptyListing();
        accepted();
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/jobs/1000000000012")).willReturn(okJson(job("RUNNING", null))));
        StepResult r = create();
        assertFalse(r.ok());
        assertTrue(r.error().startsWith("job 1000000000012 still running after"), r.error());
    }

    @Test
    void a_fileset_near_scales_limit_is_refused_before_anything_is_created() {
        StringBuilder many = new StringBuilder("{\"snapshots\":[");
        for (int i = 0; i < 250; i++) {
            many.append(i == 0 ? "" : ",").append("{\"snapshotName\":\"s").append(i).append("\",\"filesetName\":\"sales\"}");
        }
        f.wm.stubFor(get(urlPathEqualTo(SNAPSHOTS)).willReturn(okJson(many.append("]}").toString())));
        StepResult r = create();
        assertFalse(r.ok());
        assertEquals("sales holds 250 snapshots; refusing to create more than 250 of Scale's 256", r.error());
        f.wm.verify(0, postRequestedFor(urlPathMatching(".*")));
    }

    @Test
    void a_snapshot_whose_expiration_does_not_match_is_not_verified() {
        emptyListing();
        accepted();
        jobStates(job("COMPLETED", null));
        readBack("2024-05-08-10:15");
        StepResult r = create();
        assertFalse(r.ok());
        assertFalse(r.verified());
        assertTrue(r.error().contains("expiration is '2024-05-08-10:15', expected 2024-05-09-10:15"), r.error());
    }

    @Test
    void a_timeout_is_retried_within_bounds_then_reported() {
        StorageFixture slow = new StorageFixture(tmp.resolve("slow"), cert);
        try {
            slow.targets.create(slow.scale("slow", slow.trusted(), 1));
            slow.wm.stubFor(get(urlPathEqualTo(SNAPSHOTS)).willReturn(okJson("{\"snapshots\":[]}").withFixedDelay(2500)));
            try (Connector.Session s = slow.connector.open("slow")) {
                StepResult r = slow.connector.scale(s).createSnapshot("gpfs01", "sales", NAME, EXPIRES, ZoneId.of("UTC"));
                assertFalse(r.ok());
                assertEquals("timed out", r.error());
                assertEquals(3, r.calls().size(), "three attempts, then give up");
            }
        } finally {
            slow.close();
        }
    }

    @Test
    void test_connection_finds_the_file_system_and_names_an_unknown_fileset() {
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/info")).willReturn(okJson("{\"info\":{\"serverVersion\":\"5.2.3.0\"}}")));
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01")).willReturn(okJson("{\"filesystems\":[{\"name\":\"gpfs01\"}]}")));
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01/filesets/sales")).willReturn(okJson("{\"filesets\":[{}]}")));
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01/filesets/hr")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":{\"code\":400,\"message\":\"Invalid value in 'filesetName'\"}}")));
        var result = f.connector.test("scale1");
        assertFalse(result.ok());
        assertEquals("fileset 'hr' not found in gpfs01: HTTP 400: Invalid value in 'filesetName'", result.error());
        assertEquals("5.2.3.0", result.found().get("serverVersion"));
        assertEquals(safeguard.http.PeerTrust.fingerprint(certificate(cert)), result.serverCertificateSha256());
    }

    @Test
    void wrong_credentials_are_named_as_such() {
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/info")).willReturn(aResponse().withStatus(401)));
        var result = f.connector.test("scale1");
        assertFalse(result.ok());
        assertTrue(result.error().startsWith("HTTP 401: the user name or password is wrong"), result.error());
        assertFalse(result.toString().contains(StorageFixture.PASSWORD));
    }

    static java.security.cert.X509Certificate certificate(TestCerts c) {
        try {
            return safeguard.http.TlsTrust.readPem(c.pem()).get(0);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void test_connection_names_an_unknown_file_system() {
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/info")).willReturn(okJson("{\"info\":{\"serverVersion\":\"5.2.3.0\"}}")));
        f.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01")).willReturn(aResponse().withStatus(400)
                .withHeader("Content-Type", "application/json")
                .withBody("{\"status\":{\"code\":400,\"message\":\"Invalid value in 'filesystemName'\"}}")));
        var result = f.connector.test("scale1");
        assertFalse(result.ok());
        assertEquals("file system 'gpfs01' not found: HTTP 400: Invalid value in 'filesystemName'", result.error());
    }
}
