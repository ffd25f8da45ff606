import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Arrays;
import java.util.Map;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;
import safeguard.qradar.OffensePages;

/**
 * The offense path, timed, on QRadar on Cloud (IS_QROC=true, no custom action): (1) offense created on the
 * contract-faithful console -> the storage request (CSM "run scheduled task"), with the app's own poll schedule;
 * (2) what polling costs on a console holding 10,000 offenses from other rules: requests per poll and the bytes
 * of the answers, idle and with offenses changing.
 */
public class OffenseBench {
    static final long RULE = 100123;
    static final long OTHER = 100200;

    public static void main(String[] args) throws Exception {
        int offenses = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int pollSeconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        TestCerts cert = TestCerts.localhost();
        WireMockServer csm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
        csm.start();
        csm.stubFor(post(urlPathEqualTo("/CSM/web/system/v1/tokens")).willReturn(okJson("{\"token\":\"tok\"}")));
        csm.stubFor(get(urlPathEqualTo("/CSM/web/sessions/scheduledtasks")).willReturn(okJson(
                "[{\"id\":7,\"name\":\"SGC Backup DB1\",\"enabled\":true}]")));
        csm.stubFor(post(urlPathEqualTo("/CSM/web/sessions/scheduledtasks/7")).willReturn(okJson(
                "{\"msg\":\"IWNR2211I\",\"msgTranslated\":\"IWNR2211I The scheduled task was started.\"}")));
        String run = "/CSM/web/sessions/scheduledtasks/7";

        ConsoleExtension console = ConsoleExtension.started();
        FakeConsole fake = console.fake();
        OffensePages pages = fake.offenses();
        pages.rule(RULE, "Safeguard: mass file deletes on Storage Scale", true);
        pages.rule(OTHER, "Excessive firewall denies", true);
        long t0 = System.nanoTime();
        pages.history(10_000, OTHER);
        System.out.printf("console holds 10,000 offenses (made in %d ms)%n", (System.nanoTime() - t0) / 1_000_000);
        Path store = Files.createTempDirectory("offense-bench").resolve("store");
        Javalin app = InsideQradar.start(console, store, Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()), "QRADAR_APP_ID", "1051",
                "SEC_ADMIN_TOKEN", FakeConsole.TOKEN, "IS_QROC", "true", "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.signsIn("sec-admin", "admin", true);
        TestHttp admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "csm").put("name", "csm1").put("host", "localhost").put("port", csm.httpsPort())
                .put("username", "csmadmin").put("password", "pw");
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("csm").put("scheduledTask", "SGC Backup DB1");
        check(admin.send("POST", "/api/targets", t.toString()));
        check(admin.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":0,\"offensePollSeconds\":" + pollSeconds
                + ",\"offenseTriggers\":[{\"ruleId\":" + RULE + ",\"target\":\"csm1\"}]}"));

        // (2) cost: the first poll takes the bookmark; then idle polls; then polls with 10 changed offenses each.
        JsonNode first = poll(admin);
        JsonNode idle = poll(admin);
        for (int i = 0; i < 10; i++) {
            pages.advance(1);
            pages.addEvents(1001 + i * 97L, 3, null);
        }
        JsonNode busy = poll(admin);
        System.out.printf("first poll (bookmark): %d request(s), %d bytes%n", first.get("requests").asInt(), first.get("bytes").asLong());
        System.out.printf("idle poll: %d request(s), %d bytes of offenses%n", idle.get("requests").asInt(), idle.get("bytes").asLong());
        System.out.printf("poll with 10 offenses changed: %d request(s), %d bytes, %d read%n", busy.get("requests").asInt(),
                busy.get("bytes").asLong(), busy.get("read").asInt());
        long before = fake.requests().stream().filter(s -> s.path().equals("/api/siem/offenses")).count();
        long w0 = System.nanoTime();
        Thread.sleep(60_000L);
        long perMinute = fake.requests().stream().filter(s -> s.path().equals("/api/siem/offenses")).count() - before;
        System.out.printf("scheduled polling, idle, every %d s: %d offense requests in %.1f s%n", pollSeconds, perMinute,
                (System.nanoTime() - w0) / 1e9);

        // (1) latency: offense created -> CSM asked, with the app's own schedule.
        long[] ms = new long[offenses];
        for (int i = 0; i < offenses; i++) {
            int had = csm.findAll(postRequestedFor(urlPathEqualTo(run))).size();
            pages.advance(1000);
            long created = System.currentTimeMillis();
            pages.create(RULE, pages.now(), null);
            long deadline = created + 120_000;
            while (csm.findAll(postRequestedFor(urlPathEqualTo(run))).size() == had) {
                if (System.currentTimeMillis() > deadline) {
                    throw new IllegalStateException("offense " + i + " never reached CSM");
                }
                Thread.sleep(2);
            }
            ms[i] = csm.findAll(postRequestedFor(urlPathEqualTo(run))).stream()
                    .mapToLong(r -> r.getLoggedDate().getTime()).max().orElseThrow() - created;
            // Offenses arrive at random phases of the schedule, as real ones do.
            Thread.sleep((long) (Math.random() * pollSeconds * 1000));
        }
        Arrays.sort(ms);
        System.out.printf("offense created -> CSM request (poll every %d s, %d offenses): median %d ms, p99 %d ms, max %d ms%n",
                pollSeconds, offenses, pct(ms, 50), pct(ms, 99), ms[ms.length - 1]);
        System.out.printf("snapshots requested: %d for %d offenses; contract violations: %d%n",
                csm.findAll(postRequestedFor(urlPathEqualTo(run))).size(), offenses, fake.violations().size());
        fake.violations().forEach(v -> System.out.println("  " + v));
        app.stop();
        console.stop();
        csm.stop();
    }

    static JsonNode poll(TestHttp admin) throws Exception {
        return Json.mapper().readTree(check(admin.send("POST", "/api/offenses/poll", null)).body());
    }

    static java.net.http.HttpResponse<String> check(java.net.http.HttpResponse<String> r) {
        if (r.statusCode() >= 300) {
            throw new IllegalStateException(r.statusCode() + " " + r.body());
        }
        return r;
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
