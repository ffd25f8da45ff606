import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import io.javalin.Javalin;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.csm.CsmSimulator;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/**
 * Time to protect (issue #21 item 7), bench/time-to-protect.sh runs it: script start -> the CSM simulator receives
 * "run scheduled task" (POST /CSM/web/sessions/scheduledtasks/7), for
 * (a) IBM's sample flow (bench/ibm_sample_requests.py: the calls of run-cr-wflow-ds8k.py from the public
 *     repository IBM/ibm-qradar-ds8k-sgc-csm, with Python requests: log in, list the scheduled tasks, run one,
 *     TLS verification off) straight to CSM, and
 * (b) ours: the custom-action script exactly as the app provisioned it in the contract-faithful fake console (its
 *     bytes and stored parameters: the app-proxy URL, the authorized service's token as SEC, the pinned console
 *     certificate, the provisioned wait), through the console's app proxy to the app (in this JVM; coalescing
 *     window 0 so every firing makes its own action), which runs the same task on the same simulator.
 * Firings alternate (IBM, ours, IBM, ours, …) so a busy machine slows both alike; each firing ends before the
 * next starts (ours: the script waits for the outcome as provisioned). Both use the same interpreter, the
 * system's python3 (what QRadar runs custom actions with), unless SAFEGUARD_BENCH_PYTHON says otherwise.
 * A firing is lost when it did not make exactly one task run at the simulator, or ours did not end protected.
 */
public class TimeToProtectBench {
    static final String RUN = "/CSM/web/sessions/scheduledtasks/7";

    public static void main(String[] args) throws Exception {
        int firings = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        String python = System.getenv().getOrDefault("SAFEGUARD_BENCH_PYTHON", "/usr/bin/python3");
        TestCerts cert = TestCerts.localhost();
        CsmSimulator csm = new CsmSimulator(cert).credentials("csmadmin", "pw");
        csm.taskReadsRunning = 0; // a run is over at the first read: the firing ends right after its request
        csm.start();

        ConsoleExtension console = ConsoleExtension.started();
        FakeConsole fake = console.fake();
        Path store = Files.createTempDirectory("ttp-bench").resolve("store");
        Javalin app = InsideQradar.start(console, store, Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()), "QRADAR_APP_ID", "1051",
                "SEC_ADMIN_TOKEN", FakeConsole.TOKEN, "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.proxiesTo("1051", "http://127.0.0.1:" + app.port());
        fake.signsIn("sec-admin", "admin", true);
        TestHttp admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        admin.send("PUT", "/api/settings", "{\"actionServiceRoleId\":3,\"actionServiceProfileId\":4,\"coalesceWindowSeconds\":0}");
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "csm").put("name", "csm1").put("host", "localhost").put("port", csm.port())
                .put("username", "csmadmin").put("password", "pw");
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        t.putObject("csm").put("scheduledTask", "SGC Backup DB1");
        admin.send("POST", "/api/targets", t.toString());
        String token = Json.mapper().readTree(admin.send("POST", "/api/action-token/reveal", null).body()).get("token").asText();
        ObjectNode action = armed(fake, token);
        Path script = Files.createTempFile("safeguard-action", ".py");
        Files.write(script, fake.script(action.get("script").asLong()));
        Map<String, String> stored = fake.actionParameters(action.get("id").asLong());

        List<String> sample = List.of(python, "bench/ibm_sample_requests.py", "-s", "localhost", "-P",
                Integer.toString(csm.port()), "-u", b64("csmadmin"), "-p", b64("pw"), "-t", "SGC Backup DB1");
        long oursLogins = 0;
        long ibmLogins = 0;
        long[] ibm = new long[firings];
        long[] ours = new long[firings];
        int lost = 0;
        List<String> why = new ArrayList<>();
        for (int i = 0; i < firings; i++) {
            int runs = csm.taskRuns(7);
            long before = csm.logins();
            long t0 = System.currentTimeMillis();
            Process p = new ProcessBuilder(sample).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            ibmLogins += csm.logins() - before;
            if (p.waitFor() != 0 || csm.taskRuns(7) != runs + 1) {
                lost++;
                why.add("IBM firing " + i + ": exit " + p.exitValue() + ", " + (csm.taskRuns(7) - runs) + " runs: " + out.strip());
                ibm[i] = Long.MAX_VALUE;
            } else {
                ibm[i] = arrival(csm, runs) - t0;
            }

            List<String> cmd = new ArrayList<>(List.of(python, script.toString()));
            Map<String, String> event = Map.of("username", "", "Filename", "salaries-" + i + ".csv",
                    "File path", "/ibm/gpfs01/hr/payroll/salaries-" + i + ".csv",
                    "devicetime", Long.toString(System.currentTimeMillis()));
            for (JsonNode prm : action.get("parameters")) {
                cmd.add(prm.get("parameter_type").asText().equals("fixed") ? stored.get(prm.get("name").asText())
                        : event.get(prm.get("value").asText()));
            }
            runs = csm.taskRuns(7);
            long logins = csm.logins();
            t0 = System.currentTimeMillis();
            p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            oursLogins += csm.logins() - logins;
            if (p.waitFor() != 0 || csm.taskRuns(7) != runs + 1) {
                lost++;
                why.add("our firing " + i + ": exit " + p.exitValue() + ", " + (csm.taskRuns(7) - runs) + " runs: " + out.strip());
                ours[i] = Long.MAX_VALUE;
            } else {
                ours[i] = arrival(csm, runs) - t0;
                if (System.getenv("TTP_TRACE") != null) {
                    System.out.println("trace " + i + ": " + trace(csm, console, t0));
                }
            }
        }
        Arrays.sort(ibm);
        Arrays.sort(ours);
        why.forEach(w -> System.out.println("lost: " + w));
        System.out.printf("| path | median | p99 | firings | lost |%n|---|---|---|---|---|%n");
        System.out.printf("| IBM's sample flow with requests (log in, list tasks, run; TLS off), direct to CSM | %d ms | %d ms | %d | %d |%n",
                pct(ibm, 50), pct(ibm, 99), firings, Arrays.stream(ibm).filter(v -> v == Long.MAX_VALUE).count());
        System.out.printf("| our custom action as provisioned -> console app proxy (SEC, pinned TLS) -> app -> CSM | %d ms | %d ms | %d | %d |%n",
                pct(ours, 50), pct(ours, 99), firings, Arrays.stream(ours).filter(v -> v == Long.MAX_VALUE).count());
        System.out.printf("ratio ours/IBM: median %.2f, p99 %.2f; firings lost: %d of %d; CSM logins: IBM's %d, ours %d; "
                        + "contract violations: console %d, CSM %d%n",
                (double) pct(ours, 50) / pct(ibm, 50), (double) pct(ours, 99) / pct(ibm, 99), lost, 2 * firings,
                ibmLogins, oursLogins, fake.violations().size(), csm.violations().size());
        app.stop();
        console.stop();
        csm.close();
        System.exit(lost == 0 ? 0 : 1);
    }

    static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.US_ASCII));
    }

    /** When the simulator received the run that came after {@code runsBefore} runs (its log time, ms). */
    static long arrival(CsmSimulator csm, int runsBefore) {
        List<ServeEvent> runs = new ArrayList<>(csm.wm().getAllServeEvents().stream()
                .filter(e -> e.getRequest().getMethod().getName().equals("POST") && e.getRequest().getUrl().equals(RUN))
                .toList());
        runs.sort((a, b) -> a.getRequest().getLoggedDate().compareTo(b.getRequest().getLoggedDate()));
        return runs.get(runsBefore).getRequest().getLoggedDate().getTime();
    }

    /** Where one firing of ours spent its time: each request the console and CSM received after t0, in ms. */
    static String trace(CsmSimulator csm, ConsoleExtension console, long t0) {
        List<String> out = new ArrayList<>();
        for (var w : List.of(csm.wm(), console.wireMock())) {
            for (ServeEvent e : w.getAllServeEvents()) {
                long at = e.getRequest().getLoggedDate().getTime() - t0;
                if (at >= 0) {
                    out.add(String.format("%5d %s %s", at, e.getRequest().getMethod(), e.getRequest().getUrl()));
                }
            }
        }
        out.sort(null);
        return String.join(" | ", out);
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
