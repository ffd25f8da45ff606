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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/**
 * The rule's path, timed: from the start of the custom-action script (as the fake console holds it: proxy URL,
 * SEC service token, pinned certificate) through the console's app proxy and the app to the upstream request
 * (CSM "run scheduled task"), against IBM's one-shot sample doing the same job, in the same run. Coalescing is
 * set to 0 so each firing makes its own upstream request; each firing waits for it before the next.
 */
public class RulePathBench {
    public static void main(String[] args) throws Exception {
        int firings = args.length > 0 ? Integer.parseInt(args[0]) : 100;
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

        long[] ibm = new long[firings];
        for (int i = 0; i < firings; i++) {
            int before = csm.findAll(postRequestedFor(urlPathEqualTo(run))).size();
            long t0 = System.currentTimeMillis();
            Process p = new ProcessBuilder("python3", "bench/one_shot_sample.py", "https://localhost:" + csm.httpsPort(),
                    "csmadmin", "pw", "SGC Backup DB1").inheritIO().start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("sample run failed");
            }
            ibm[i] = upstream(csm, run, before) - t0;
        }

        ConsoleExtension console = ConsoleExtension.started();
        FakeConsole fake = console.fake();
        Path store = Files.createTempDirectory("rule-bench").resolve("store");
        Javalin app = InsideQradar.start(console, store, Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()), "QRADAR_APP_ID", "1051",
                "SEC_ADMIN_TOKEN", FakeConsole.TOKEN, "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.proxiesTo("1051", "http://127.0.0.1:" + app.port());
        fake.signsIn("sec-admin", "admin", true);
        TestHttp admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        admin.send("PUT", "/api/settings", "{\"actionServiceRoleId\":3,\"actionServiceProfileId\":4,\"coalesceWindowSeconds\":0}");
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "csm").put("name", "csm1").put("host", "localhost").put("port", csm.httpsPort())
                .put("username", "csmadmin").put("password", "pw");
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("csm").put("scheduledTask", "SGC Backup DB1");
        admin.send("POST", "/api/targets", t.toString());
        String token = Json.mapper().readTree(admin.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        ObjectNode action = armed(fake, token);
        Path script = Files.createTempFile("safeguard-action", ".py");
        Files.write(script, fake.script(action.get("script").asLong()));
        Map<String, String> stored = fake.actionParameters(action.get("id").asLong());
        Map<String, String> event = Map.of("username", "", "Filename", "salaries-2022.csv");

        long[] ours = new long[firings];
        for (int i = 0; i < firings; i++) {
            List<String> cmd = new ArrayList<>(List.of("python3", script.toString()));
            for (JsonNode p : action.get("parameters")) {
                cmd.add(p.get("parameter_type").asText().equals("fixed") ? stored.get(p.get("name").asText())
                        : p.get("value").asText().equals("File path") ? "/ibm/gpfs01/hr/payroll/salaries-" + i + ".csv"
                        : event.get(p.get("value").asText()));
            }
            int before = csm.findAll(postRequestedFor(urlPathEqualTo(run))).size();
            long t0 = System.currentTimeMillis();
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (p.waitFor() != 0) {
                throw new IllegalStateException("script failed: " + out);
            }
            ours[i] = upstream(csm, run, before) - t0;
        }
        Arrays.sort(ibm);
        Arrays.sort(ours);
        System.out.printf("IBM one-shot sample (login, list, run; TLS off): median %d ms, p99 %d ms to the upstream request%n",
                pct(ibm, 50), pct(ibm, 99));
        System.out.printf("our script -> console app proxy (SEC, pinned TLS) -> app -> CSM: median %d ms, p99 %d ms to the upstream request%n",
                pct(ours, 50), pct(ours, 99));
        System.out.printf("contract violations: %d%n", fake.violations().size());
        app.stop();
        console.stop();
        csm.stop();
    }

    static long upstream(WireMockServer csm, String path, int before) throws InterruptedException {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            var all = csm.findAll(postRequestedFor(urlPathEqualTo(path)));
            if (all.size() > before) {
                return all.stream().mapToLong(r -> r.getLoggedDate().getTime()).max().orElseThrow();
            }
            Thread.sleep(1);
        }
        throw new IllegalStateException("no upstream request");
    }

    static ObjectNode armed(FakeConsole fake, String token) throws InterruptedException {
        for (int i = 0; i < 3000; i++) {
            synchronized (fake) {
                for (ObjectNode a : fake.table("/analytics/custom_actions/actions")) {
                    Map<String, String> p = fake.actionParameters(a.get("id").asLong());
                    if (token.equals(p.get("action_token")) && !"none".equals(p.get("sec_token"))) {
                        return a.deepCopy();
                    }
                }
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("custom action never armed");
    }

    static long pct(long[] sorted, int p) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(p / 100.0 * sorted.length) - 1)];
    }
}
