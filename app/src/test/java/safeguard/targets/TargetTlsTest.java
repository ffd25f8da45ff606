package safeguard.targets;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.CapturedLogs;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.store.Store;

/** A storage GUI with a self-signed certificate, through the real API: refused by default, accepted once pinned. */
class TargetTlsTest {
    static final TestCerts cert = TestCerts.localhost();
    static String fingerprint;

    @TempDir
    Path tmp;
    StorageFixture sim;
    Javalin app;
    TestHttp http;

    @BeforeAll
    static void certificate() throws Exception {
        fingerprint = PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0));
    }

    @BeforeEach
    void start() {
        sim = new StorageFixture(tmp.resolve("sim"), cert);
        sim.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/info")).willReturn(okJson("{\"info\":{\"serverVersion\":\"5.2.3.0\"}}")));
        sim.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01")).willReturn(okJson("{\"filesystems\":[{}]}")));
        sim.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01/filesets/sales")).willReturn(okJson("{}")));
        sim.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01/filesets/hr")).willReturn(okJson("{}")));
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
    }

    @AfterEach
    void stop() {
        app.stop();
        sim.close();
    }

    private ObjectNode target(ObjectNode tls) {
        ObjectNode t = Json.mapper().valueToTree(sim.scale("scale1", null, 5));
        if (tls == null) {
            t.remove("tls");
        } else {
            t.set("tls", tls);
        }
        return t;
    }

    private JsonNode test() throws Exception {
        return Json.mapper().readTree(http.send("POST", "/api/targets/scale1/test", null).body());
    }

    @Test
    void a_self_signed_server_is_refused_by_default_but_its_fingerprint_is_offered_then_pinning_works() throws Exception {
        assertEquals(201, http.send("POST", "/api/targets", target(null).toString()).statusCode());
        JsonNode refused = test();
        assertFalse(refused.get("ok").asBoolean());
        assertEquals("the certificate is not trusted; pin fingerprint SHA-256 " + fingerprint + " or upload the CA",
                refused.get("error").asText(), "says what to do, with the fingerprint in the one format used everywhere");
        assertEquals(fingerprint, refused.get("serverCertificateSha256").asText(), "offered for one-click pinning");
        assertEquals(1, refused.get("calls").size(), "a trust failure never heals: not retried");

        ObjectNode pin = Json.mapper().createObjectNode().put("mode", "pinned")
                .put("pinnedSha256", refused.get("serverCertificateSha256").asText());
        ObjectNode update = target(pin);
        update.remove("password");
        HttpResponse<String> refusedPin = http.send("PUT", "/api/targets/scale1", update.toString());
        assertEquals(400, refusedPin.statusCode(), "the stored password does not follow a new trust unasked");
        assertEquals("password", Json.mapper().readTree(refusedPin.body()).get("field").asText());
        assertEquals(200, http.send("PUT", "/api/targets/scale1", target(pin).toString()).statusCode());
        JsonNode pinned = test();
        assertTrue(pinned.get("ok").asBoolean(), pinned.toString());
        assertEquals("pinned", pinned.get("tlsMode").asText());
        assertTrue(pinned.get("roundTripMs").asLong() >= 0);
        assertTrue(pinned.get("summary").asText().startsWith("Connected to localhost:"), pinned.toString());
    }

    @Test
    void a_wrong_pin_is_refused() throws Exception {
        // Another first byte (the test certificate is new every run: its own may begin with AA).
        String other = (fingerprint.startsWith("AA:") ? "BB:" : "AA:") + fingerprint.substring(3);
        http.send("POST", "/api/targets", target(Json.mapper().createObjectNode().put("mode", "pinned").put("pinnedSha256", other)).toString());
        JsonNode r = test();
        assertFalse(r.get("ok").asBoolean());
        assertTrue(r.get("error").asText().startsWith("the certificate (SHA-256 " + fingerprint + ") is not the pinned one"), r.toString());
        assertEquals(1, r.get("calls").size(), "not retried");
    }

    @Test
    void a_pin_is_accepted_in_either_format_stored_in_one_and_older_plain_hex_pins_still_work() throws Exception {
        String plain = fingerprint.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        assertEquals(201, http.send("POST", "/api/targets", target(Json.mapper().createObjectNode().put("mode", "pinned")
                .put("pinnedSha256", plain)).toString()).statusCode());
        JsonNode view = Json.mapper().readTree(http.get("/api/targets/scale1").body());
        assertEquals(fingerprint, view.at("/tls/pinnedSha256").asText());
        assertTrue(java.nio.file.Files.readString(tmp.resolve("store/targets.json")).contains(fingerprint), "stored normalised");
        assertTrue(test().get("ok").asBoolean());

        // A targets.json written by an older version holds the pin as plain lower-case hex.
        app.stop();
        Path file = tmp.resolve("store/targets.json");
        java.nio.file.Files.writeString(file, java.nio.file.Files.readString(file).replace(fingerprint, plain));
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
        assertTrue(test().get("ok").asBoolean(), "an old pin keeps working");
        assertEquals(fingerprint, Json.mapper().readTree(http.get("/api/targets/scale1").body()).at("/tls/pinnedSha256").asText(),
                "and is shown in the one format");
    }

    @Test
    void an_uploaded_certificate_is_trusted_with_hostname_checks() throws Exception {
        http.send("POST", "/api/targets", target(Json.mapper().createObjectNode().put("mode", "verify")
                .put("caPem", cert.pemText())).toString());
        assertTrue(test().get("ok").asBoolean());

        TestCerts elsewhere = TestCerts.selfSigned(tmp, "other");
        ObjectNode t = target(Json.mapper().createObjectNode().put("mode", "verify").put("caPem", elsewhere.pemText()));
        t.put("name", "scale2");
        http.send("POST", "/api/targets", t.toString());
        JsonNode r = Json.mapper().readTree(http.send("POST", "/api/targets/scale2/test", null).body());
        assertFalse(r.get("ok").asBoolean(), "another certificate does not vouch for this server");
    }

    @Test
    void insecure_works_only_when_asked_for_and_is_flagged_on_every_use() throws Exception {
        http.send("POST", "/api/targets", target(Json.mapper().createObjectNode().put("mode", "insecure")).toString());
        JsonNode view = Json.mapper().readTree(http.get("/api/targets/scale1").body());
        assertTrue(view.get("insecure").asBoolean());
        JsonNode r = test();
        assertTrue(r.get("ok").asBoolean());
        assertTrue(r.get("insecure").asBoolean());
        assertTrue(r.get("summary").asText().endsWith("(TLS verification is OFF for this target)"));
        for (JsonNode call : r.get("calls")) {
            assertTrue(call.get("insecure").asBoolean(), call.toString());
        }
    }

    @Test
    void the_password_reaches_no_log_and_no_answer_even_at_debug_level() throws Exception {
        try (CapturedLogs logs = new CapturedLogs()) {
            String created = http.send("POST", "/api/targets", target(null).toString()).body();
            String tested = http.send("POST", "/api/targets/scale1/test", null).body();
            String listed = http.get("/api/targets").body();
            for (String answer : new String[] {created, tested, listed}) {
                assertFalse(answer.contains(StorageFixture.PASSWORD), answer);
            }
            assertFalse(logs.text().contains(StorageFixture.PASSWORD), "a log line carries the password");
            assertTrue(logs.text().length() > 0, "the capture works");
        }
    }

    @Test
    void the_snapshot_inventory_lists_what_scale_holds_and_upstream_errors_are_a_502() throws Exception {
        ObjectNode pin = Json.mapper().createObjectNode().put("mode", "pinned").put("pinnedSha256", fingerprint);
        http.send("POST", "/api/targets", target(pin).toString());
        sim.wm.stubFor(get(urlPathEqualTo("/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots")).willReturn(okJson(
                "{\"snapshots\":[{\"snapshotName\":\"sgc-sales-20240502T101503Z\",\"filesetName\":\"sales\","
                        + "\"created\":\"2024-05-02 10:15:05,000\",\"expirationTime\":\"2024-05-09-10:15\",\"status\":\"Valid\"}]}")));
        JsonNode list = Json.mapper().readTree(http.get("/api/targets/scale1/snapshots").body());
        assertEquals("sgc-sales-20240502T101503Z", list.get(0).get("name").asText());
        assertEquals("2024-05-09-10:15", list.get(0).get("expirationTime").asText());
        assertEquals(400, http.get("/api/targets/scale1/snapshots?fileset=finance").statusCode());
        var failed = http.get("/api/targets/scale1/snapshots?fileset=hr");
        assertEquals(502, failed.statusCode(), failed.body());
    }
}
