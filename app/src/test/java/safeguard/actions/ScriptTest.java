package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;

/** The shipped custom-action script, run with python3 exactly as QRadar runs it, against the running app. */
class ScriptTest {
    static final Path SCRIPT = Path.of(System.getProperty("project.root"),
            "qradar-extension/src/qradar/custom-action/safeguard-action.py");

    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;
    ActionApp a;


    @AfterEach
    void stop() {
        if (a != null) {
            a.close();
        }
    }

    record Run(int status, String output) {
    }

    static Run script(Map<String, String> env, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("python3", SCRIPT.toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p;
        try {
            p = pb.start();
        } catch (java.io.IOException noPython) {
            assumeTrue(false, "python3 is not installed");
            throw noPython;
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    /** Another Scale target on the same simulator, so its actions are not coalesced with scale1's. */
    private void target(String name, boolean dryRun) throws Exception {
        var t = ActionApp.scaleTarget(a.scale.port(), cert, dryRun).put("name", name);
        assertEquals(201, a.http.send("POST", "/api/targets", t.toString()).statusCode());
    }

    private Run fire(String target, String... more) throws Exception {
        List<String> args = new ArrayList<>(List.of(a.url(), a.token, "none", "none", "scale-snapshot", target,
                "4294967294", "salaries-2022.csv", "/ibm/gpfs01/sales/salaries-2022.csv"));
        args.addAll(List.of(more));
        return script(Map.of("RULE_NAME", "Safeguard: confidential file touched off-hours"), args.toArray(String[]::new));
    }

    @Test
    void a_rule_firing_protects_the_data_through_the_script_and_says_so_when_it_is_confirmed() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        java.time.Instant firstAt = java.time.Instant.now();
        Run r = script(Map.of("RULE_NAME", "Safeguard: confidential file touched off-hours", "RULE_ID", "100234"),
                a.url(), a.token, "none", "none", "scale-snapshot", "scale1", "4294967294", "salaries-2022.csv",
                "/ibm/gpfs01/hr/payroll/salaries-2022.csv");
        assertEquals(0, r.status(), r.output());
        assertEquals(1, r.output().lines().count(), r.output());
        assertTrue(r.output().startsWith("Safeguard Responder: scale-snapshot on scale1 protected at "), r.output());
        assertTrue(r.output().contains("; snapshot sgc-hr-"), "the fileset the path is in: " + r.output());
        assertFalse(r.output().contains(a.token));

        String id = r.output().replaceAll("(?s).*\\(action (a-[^)]+)\\).*", "$1");
        JsonNode d = a.awaitAction(id, x -> x.at("/action/status").asText().equals("protected"));
        assertEquals("Safeguard: confidential file touched off-hours", d.at("/action/context/rule").asText());
        assertEquals("salaries-2022.csv", d.at("/action/context/filename").asText());
        assertEquals("4294967294", d.at("/action/context/user").asText());

        Run again = script(Map.of("RULE_NAME", "Safeguard: confidential file touched off-hours", "RULE_ID", "100234"),
                a.url(), a.token, "none", "none", "scale-snapshot", "scale1", "4294967294", "salaries-2022.csv",
                "/ibm/gpfs01/hr/payroll/salaries-2022.csv");
        assertEquals(0, again.status());
        // The script's key holds the minute (UTC): within one, the same firing is answered once, word for word; when
        // the minute turned in between, it is a new request, coalesced into the same action. One copy either way.
        java.time.temporal.ChronoUnit minutes = java.time.temporal.ChronoUnit.MINUTES;
        if (firstAt.truncatedTo(minutes).equals(java.time.Instant.now().truncatedTo(minutes))) {
            assertEquals(r.output(), again.output(), "the same firing within a minute is answered once (idempotency key)");
        } else {
            assertTrue(again.output().startsWith(r.output().strip() + "; request ")
                    && again.output().strip().endsWith("was coalesced into it"), again.output());
        }
        assertEquals(1, a.scale.created());
    }

    @Test
    void each_outcome_has_its_own_exit_status_and_line() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        a.scale.expirationOverride = "2099-01-01-00:00";
        Run other = fire("scale1");
        assertEquals(3, other.status(), other.output());
        assertTrue(other.output().contains("protected at ") && other.output().contains(", but not as planned (action a-"), other.output());
        assertTrue(other.output().contains("expires 2099-01-01-00:00, planned "), other.output());

        a.scale.expirationOverride = null;
        a.scale.jobStderr = "EFSSG0740C There are not enough resources available to create a new snapshot.";
        target("scale2", false);
        Run not = fire("scale2");
        assertEquals(4, not.status(), not.output());
        assertTrue(not.output().startsWith("Safeguard Responder: scale-snapshot on scale2 not protected at "), not.output());
        assertTrue(not.output().contains("EFSSG0740C"), not.output());

        a.scale.jobStderr = null;
        a.scale.pollsToComplete = 1_000_000;
        target("scale3", false);
        Run unknown = fire("scale3");
        assertEquals(5, unknown.status(), unknown.output());
        assertTrue(unknown.output().contains("unconfirmed at "), unknown.output());
        assertTrue(unknown.output().contains("still running after 60 s"), unknown.output());

        target("scale4", true);
        Run dry = fire("scale4");
        assertEquals(6, dry.status(), dry.output());
        assertTrue(dry.output().startsWith("Safeguard Responder: DRY RUN scale-snapshot on scale4"), dry.output());
    }

    @Test
    void a_wait_that_runs_out_first_says_the_outcome_is_not_known_yet_and_zero_does_not_wait() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        var held = a.scale.holdAnswer("POST", ".*/snapshots");
        Run r = fire("scale1", "2");
        assertEquals(5, r.status(), r.output());
        assertTrue(r.output().startsWith("Safeguard Responder: scale-snapshot on scale1 running after 2 s (action a-"), r.output());
        assertTrue(r.output().contains("the outcome is not known yet"), r.output());
        held.release();

        target("scale2", false);
        Run quick = fire("scale2", "0");
        assertEquals(0, quick.status(), quick.output());
        assertTrue(quick.output().startsWith("Safeguard Responder: scale-snapshot on scale2 accepted (action a-"), quick.output());

        Run bad = fire("scale2", "soon");
        assertEquals(2, bad.status(), bad.output());
    }

    /** The action a line that did not wait names, as the app has it. */
    private JsonNode action(Run r) throws Exception {
        assertEquals(0, r.status(), r.output());
        String id = r.output().replaceAll("(?s).*\\(action (a-[^)]+)\\).*", "$1");
        return a.awaitAction(id, x -> x.at("/action/context").isObject()).at("/action/context");
    }

    @Test
    void the_events_devicetime_in_epoch_milliseconds_reaches_the_action_as_that_instant() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        // Parameter 11 is what QRadar fills from the devicetime column: 2026-11-24T10:15:03.120Z in epoch ms.
        assertEquals("2026-11-24T10:15:03.120Z", action(fire("scale1", "0", "1795515303120")).path("eventTime").asText());

        target("scale2", false);
        assertEquals("2026-11-24T10:15:03.000Z", action(fire("scale2", "0", "1795515303")).path("eventTime").asText(),
                "ten digits are seconds");
        target("scale3", false);
        assertEquals("2026-11-24T11:15:03.120+01:00", action(fire("scale3", "0", "2026-11-24T11:15:03.120+01:00"))
                .path("eventTime").asText(), "an ISO-8601 time is passed on as it is");
    }

    @Test
    void without_an_event_time_the_action_has_none_rather_than_the_time_the_script_ran() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        // An action made by an older version passes nine parameters; "none" is QRadar's empty value.
        JsonNode old = action(fire("scale1", "0"));
        assertFalse(old.hasNonNull("eventTime"), old.toString());
        assertEquals("/ibm/gpfs01/sales/salaries-2022.csv", old.path("path").asText());

        target("scale2", false);
        JsonNode none = action(fire("scale2", "0", "none"));
        assertFalse(none.hasNonNull("eventTime"), none.toString());
        target("scale3", false);
        JsonNode garbled = action(fire("scale3", "0", "yesterday 10:15"));
        assertFalse(garbled.hasNonNull("eventTime"), garbled.toString());
    }

    @Test
    void the_idempotency_key_cannot_be_predicted_from_the_event_without_the_sealed_parameters() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        String[] event = {"scale-snapshot", "scale1", "4294967294", "salaries-2022.csv", "/ibm/gpfs01/sales/salaries-2022.csv", "0"};
        Map<String, String> env = Map.of("RULE_NAME", "Safeguard: confidential file touched off-hours", "RULE_ID", "100234");
        List<String> minutes = List.of(java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm").withZone(java.time.ZoneOffset.UTC)
                .format(java.time.Instant.now()), java.time.format.DateTimeFormatter.ofPattern("yyyyMMddHHmm")
                .withZone(java.time.ZoneOffset.UTC).format(java.time.Instant.now().minusSeconds(60)));
        for (String sec : List.of("sealed-sec-A", "sealed-sec-B")) {
            List<String> args = new ArrayList<>(List.of(a.url(), a.token, sec, "none"));
            args.addAll(List.of(event));
            assertEquals(0, script(env, args.toArray(String[]::new)).status());
        }
        List<String> keys = new ArrayList<>();
        var m = java.util.regex.Pattern.compile("\"idempotencyKey\":\"(qradar-[0-9a-f]+)\"").matcher(a.journalText());
        while (m.find()) {
            keys.add(m.group(1));
        }
        assertEquals(2, keys.size(), keys.toString());
        assertTrue(!keys.get(0).equals(keys.get(1)), "another sealed parameter, another key: " + keys);
        for (String minute : minutes) {
            String predictable = "qradar-" + java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256")
                    .digest(String.join("|", "100234", env.get("RULE_NAME"), "scale-snapshot", "scale1",
                            "/ibm/gpfs01/sales/salaries-2022.csv", "4294967294", minute).getBytes(StandardCharsets.UTF_8)))
                    .substring(0, 40);
            assertFalse(keys.contains(predictable), "the key is not a plain hash of what the event shows");
        }
    }

    @Test
    void a_wrong_token_fails_the_action_without_printing_it() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        String wrong = "sgr_wrong-token-value";
        Run r = script(Map.of(), a.url(), wrong, "none", "none", "scale-snapshot", "scale1", "", "", "");
        assertEquals(1, r.status());
        assertEquals("Safeguard Responder: FAILED scale-snapshot on scale1: HTTP 401 wrong action token\n", r.output());
        assertFalse(r.output().contains(wrong));
    }

    @Test
    void an_unreachable_app_or_bad_parameters_fail_with_one_line() throws Exception {
        Run down = script(Map.of(), "http://127.0.0.1:1", "sgr_token-value", "none", "none", "scale-snapshot", "scale1");
        assertEquals(1, down.status());
        assertTrue(down.output().startsWith("Safeguard Responder: FAILED scale-snapshot on scale1: cannot reach the app"), down.output());
        assertFalse(down.output().contains("sgr_token-value"));
        Run bad = script(Map.of(), "http://127.0.0.1:1", "t", "none", "none", "nas-snapshot", "scale1");
        assertEquals(2, bad.status());
        assertEquals(1, bad.output().lines().count());
    }

    @Test
    void the_script_parses_as_python_3_6() throws Exception {
        Process p = new ProcessBuilder("python3", "-c",
                "import ast,sys; ast.parse(open(sys.argv[1]).read(), feature_version=(3, 6))", SCRIPT.toString())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), "not valid Python 3.6 syntax: " + out);
    }
    /** The modules a python3 run imports (python3 -X importtime), in the order they were loaded. */
    private static List<String> imported(String importTimes) {
        List<String> out = new ArrayList<>();
        importTimes.lines().filter(l -> l.startsWith("import time:") && !l.contains("imported package"))
                .forEach(l -> out.add(l.substring(l.lastIndexOf('|') + 1).trim()));
        return out;
    }

    @Test
    void the_script_imports_nothing_on_the_way_to_the_request_beyond_what_the_request_needs() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        // Every firing starts an interpreter: http.client and urllib would bring in the email package and more.
        Run r = script(Map.of("PYTHONPROFILEIMPORTTIME", "1"), a.url(), a.token, "none", "none", "scale-snapshot",
                "scale1", "4294967294", "salaries-2022.csv", "/ibm/gpfs01/hr/payroll/salaries-2022.csv", "0");
        assertEquals(0, r.status(), r.output());
        assertTrue(r.output().contains("Safeguard Responder: scale-snapshot on scale1 "), r.output());
        Process p = new ProcessBuilder("python3", "-X", "importtime", "-c", "pass").redirectErrorStream(true).start();
        List<String> bare = imported(new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        List<String> extra = imported(r.output()).stream().filter(m -> !bare.contains(m)).toList();
        assertTrue(extra.contains("ssl") && extra.contains("json"), "what the request needs: " + extra);
        List<String> needless = extra.stream().filter(m -> m.startsWith("http") || m.startsWith("email")
                || m.startsWith("urllib") || m.equals("argparse") || m.equals("encodings.idna")).toList();
        assertEquals(List.of(), needless, "imported on the way to the request: " + extra);
    }

    @Test
    void the_script_reads_sized_chunked_and_connection_close_answers() throws Exception {
        String check = String.join("\n",
                "import importlib.util, io, sys",
                "spec = importlib.util.spec_from_file_location('action', sys.argv[1])",
                "m = importlib.util.module_from_spec(spec); spec.loader.exec_module(m)",
                "r = m.read_reply",
                "print(r(io.BytesIO(b'HTTP/1.1 202 Accepted\\r\\nContent-Length: 8\\r\\n\\r\\n{\"a\": 1}tail')))",
                "print(r(io.BytesIO(b'HTTP/1.1 200 OK\\r\\nTransfer-Encoding: chunked\\r\\n\\r\\n4;x=y\\r\\n{\"b\"\\r\\n4\\r\\n: 2}\\r\\n0\\r\\n\\r\\n')))",
                "print(r(io.BytesIO(b'HTTP/1.0 401 Unauthorized\\r\\n\\r\\n<html>no</html>')))",
                "print(r(io.BytesIO(b'HTTP/1.1 204 No Content\\r\\n\\r\\n')))",
                "try:\n    r(io.BytesIO(b'SSH-2.0-OpenSSH\\r\\n'))\nexcept ValueError as e:\n    print('refused', e)",
                "print(len(r(io.BytesIO(b'HTTP/1.1 200 OK\\r\\n\\r\\n' + b'x' * (m.REPLY_MAX + 10)))[1]) == m.REPLY_MAX)",
                "try:\n    m.exchange(m.Url('http://127.0.0.1:1/p'), '', 'GET', '/p', None, {'SEC': 'a\\r\\nX: y'})\nexcept ValueError as e:\n    print('refused', e)",
                "u = m.Url('https://[fd00::1]:8443/console/plugins/1051/app_proxy?x=1')",
                "print(u.scheme, u.hostname, u.port, u.path)",
                "u = m.Url('HTTPS://console.example.com/console/plugins/7/app_proxy')",
                "print(u.scheme, u.hostname, u.port, u.path)");
        Process p = new ProcessBuilder("python3", "-c", check, SCRIPT.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(String.join("\n",
                "(202, b'{\"a\": 1}')",
                "(200, b'{\"b\": 2}')",
                "(401, b'<html>no</html>')",
                "(204, b'')",
                "refused not an HTTP answer: b'SSH-2.0-OpenSSH\\r\\n'",
                "True",
                "refused a parameter holds a line break or the app URL a space",
                "https fd00::1 8443 /console/plugins/1051/app_proxy",
                "https console.example.com 443 /console/plugins/7/app_proxy") + "\n", out);
    }
}
