package safeguard.recover;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.cdm.CdmSimulator;
import safeguard.csm.CsmSimulator;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;

/** /api/recoveries against stateful Scale, CSM and CDM simulators, through the app's HTTP API as an admin. */
class RecoveryRoutesTest {
    static final TestCerts cert = TestCerts.localhost();
    static final String SALES = "/gpfs/gpfs01/sales";

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert);
    @RegisterExtension
    final CsmSimulator csm = new CsmSimulator(cert);
    @RegisterExtension
    final CdmSimulator cdm = new CdmSimulator(cert);
    @TempDir
    Path tmp;
    Javalin app;
    TestHttp http;
    String token;

    @BeforeEach
    void start() throws Exception {
        scale.pollsToComplete = 1;
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
        token = json(http.send("POST", "/api/action-token/reveal", null)).get("token").asText();
        ObjectNode s = target("scale", "scale1", scale.port());
        s.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").put("minIntervalSeconds", 600)
                .putArray("filesets").add("sales");
        ObjectNode c = target("csm", "csm1", csm.port());
        c.putObject("csm").put("session", "SGC_DB1").put("command", "Backup");
        ObjectNode d = target("cdm", "cdm1", cdm.port());
        d.putObject("cdm").put("jobName", "SQL-CleanRoom-Restore").put("pollIntervalSeconds", 10);
        for (ObjectNode t : List.of(s, c, d)) {
            assertEquals(201, http.send("POST", "/api/targets", t.toString()).statusCode());
        }
        scale.file(SALES + "/reports/q1.txt", "q1 clean");
        scale.file(SALES + "/reports/deep/q2.txt", "q2 clean");
        scale.file(SALES + "/other/x.txt", "x");
    }

    @AfterEach
    void stop() {
        app.stop();
    }

    private static ObjectNode target(String kind, String name, int port) throws Exception {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", kind).put("name", name).put("host", "localhost").put("port", port)
                .put("username", kind.equals("scale") ? "snapadmin" : kind + "admin").put("password", "pw-" + name);
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        return t;
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    /** A rule firing for {@code path} whose event happened at {@code eventTime}; returns the action's id. */
    private String fire(String type, String target, String path, Instant eventTime) throws Exception {
        ObjectNode body = Json.mapper().createObjectNode().put("type", type).put("target", target);
        ObjectNode ctx = body.putObject("context").put("rule", "Ransomware on sales");
        if (path != null) {
            ctx.put("path", path);
        }
        if (eventTime != null) {
            ctx.put("eventTime", eventTime.toString());
        }
        HttpResponse<String> r = http.with("Authorization", "Bearer " + token).send("POST", "/api/actions", body.toString());
        assertEquals(202, r.statusCode(), r.body());
        return json(r).get("id").asText();
    }

    private JsonNode await(String id, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        JsonNode d = null;
        while (System.nanoTime() < deadline) {
            d = json(http.get("/api/actions/" + id));
            if (done.test(d)) {
                return d;
            }
            Thread.sleep(20);
        }
        throw new AssertionError("did not get there: " + d);
    }

    private static Predicate<JsonNode> status(String s) {
        return d -> d.at("/action/status").asText().equals(s);
    }

    private JsonNode proposal(String action) throws Exception {
        HttpResponse<String> r = http.get("/api/recoveries/proposal?action=" + action);
        assertEquals(200, r.statusCode(), r.body());
        return json(r);
    }

    private HttpResponse<String> recover(ObjectNode body) {
        return http.send("POST", "/api/recoveries", body.toString());
    }

    private static ObjectNode ask(String action) {
        return Json.mapper().createObjectNode().put("action", action);
    }

    /** Snapshots an hour apart around the incident: 10:00, 11:00 (the event at 11:30), 12:00. */
    private Instant threeSnapshots() {
        Instant t = Instant.now().minus(Duration.ofHours(3)).truncatedTo(java.time.temporal.ChronoUnit.MINUTES);
        scale.has("sales", "sgc-1", "2030-01-01-00:00", t);
        scale.has("sales", "sgc-2", "2030-01-01-00:00", t.plus(Duration.ofHours(1)));
        scale.has("sales", "sgc-3", "2030-01-01-00:00", t.plus(Duration.ofHours(2)));
        return t;
    }

    @Test
    void the_newest_verified_copy_before_the_first_event_is_proposed_for_incidents_before_between_and_after_copies() throws Exception {
        Instant t = threeSnapshots();

        String between = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(90)));
        await(between, status("protected"));
        JsonNode p = proposal(between);
        assertEquals("sgc-2", p.at("/proposed/id").asText(), p.toString());
        assertTrue(p.get("why").asText().contains("taken before the first suspicious event"), p.toString());
        assertTrue(p.get("firstEventFrom").asText().contains("event time the rule sent"), p.toString());
        assertEquals(t.plus(Duration.ofMinutes(90)).toString(), p.get("firstEventAt").asText());
        List<String> order = new ArrayList<>();
        p.get("candidates").forEach(c -> order.add(c.get("id").asText() + ":" + c.get("beforeIncident").asBoolean()));
        assertEquals(4, order.size(), "the three seeded and the incident's own snapshot: " + order);
        assertTrue(order.get(0).endsWith(":false") && order.get(1).equals("sgc-3:false") && order.get(2).equals("sgc-2:true")
                && order.get(3).equals("sgc-1:true"), "newest first, the incident's own copy after the event: " + order);
        assertEquals(List.of(SALES + "/reports"), Json.mapper().convertValue(p.get("paths"), List.class));

        String before = fire("scale-snapshot", "scale1", SALES + "/reports", t.minus(Duration.ofMinutes(30)));
        JsonNode none = proposal(before); // coalesced into the first action: its incident's earliest event decides
        assertEquals(between, none.get("incident").asText());
        assertEquals(2, none.get("events").asInt());
        assertTrue(none.get("proposed") == null || none.get("proposed").isNull(), none.toString());
        assertTrue(none.get("why").asText().startsWith("no verified copy was taken before"), none.toString());
        assertEquals(400, recover(ask(before).put("dryRun", true)).statusCode(), "nothing proposed, none named");
    }

    @Test
    void an_incident_after_every_copy_gets_the_newest_and_the_arrival_time_stands_in_for_a_missing_event_time() throws Exception {
        threeSnapshots();
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", null);
        JsonNode done = await(id, status("protected"));
        JsonNode p = proposal(id);
        assertEquals("sgc-3", p.at("/proposed/id").asText(), "the incident's own snapshot is not before its arrival: " + p);
        assertTrue(p.get("firstEventFrom").asText().contains("the rule sent no event time"), p.toString());
        assertEquals(done.at("/action/acceptedAt").asText(), p.get("firstEventAt").asText());
    }

    @Test
    void a_restore_copies_exactly_the_chosen_paths_into_a_new_folder_and_reads_them_back() throws Exception {
        Instant t = threeSnapshots();
        scale.file(SALES + "/reports/q1.txt", "ENCRYPTED"); // after the snapshots: the attack
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));

        HttpResponse<String> dry = recover(ask(id).put("dryRun", true));
        assertEquals(200, dry.statusCode(), dry.body());
        JsonNode plan = json(dry);
        assertEquals("sgc-3", plan.at("/plan/snapshot").asText());
        assertEquals(SALES + "/reports.restored-sgc-3", plan.at("/plan/copy.1.target").asText());
        assertTrue(plan.get("calls").toString().contains("/filesets/sales/snapshotCopy/sgc-3/path/%2Freports"), plan.toString());
        assertEquals(0, scale.copies(), "a dry run copies nothing");

        HttpResponse<String> started = recover(ask(id).put("confirm", "scale1"));
        assertEquals(202, started.statusCode(), started.body());
        String rid = json(started).get("id").asText();
        JsonNode d = await(rid, status("restored"));
        assertEquals("scale-restore", d.at("/action/type").asText());
        assertTrue(d.at("/action/result/copy.1.outcome").asText().startsWith("restored"), d.toString());
        assertTrue(d.get("timeline").toString().contains("\"creates\":\"" + SALES + "/reports.restored-sgc-3\""),
                "the copy request was journaled before it was sent");

        assertEquals(Map.of(SALES + "/reports.restored-sgc-3/q1.txt", "q1 clean",
                SALES + "/reports.restored-sgc-3/deep/q2.txt", "q2 clean"), scale.files(SALES + "/reports.restored-sgc-3"));
        assertEquals("ENCRYPTED", scale.files(SALES + "/reports").get(SALES + "/reports/q1.txt"), "live data untouched");
        assertTrue(scale.files(SALES + "/other.restored-sgc-3").isEmpty(), "nothing but the chosen path");
        assertEquals(1, scale.copies());

        JsonNode incident = json(http.get("/api/actions/" + id));
        assertTrue(incident.get("timeline").toString().contains("\"recovery\":\"" + rid + "\""),
                "the incident's timeline names its recovery");
        JsonNode list = json(http.get("/api/recoveries?action=" + id));
        assertEquals("restored", list.at("/recoveries/0/status").asText(), list.toString());

        HttpResponse<String> again = recover(ask(id).put("confirm", "scale1"));
        assertEquals(400, again.statusCode(), "the folder exists now");
        assertEquals("paths[0]", json(again).get("field").asText(), again.body());
    }

    @Test
    void copying_over_live_data_needs_the_explicit_overwrite_flag() throws Exception {
        Instant t = threeSnapshots();
        scale.file(SALES + "/reports/q1.txt", "ENCRYPTED");
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));

        HttpResponse<String> refused = recover(ask(id).put("snapshot", "sgc-2").put("destination", SALES + "/reports")
                .put("confirm", "scale1"));
        assertEquals(400, refused.statusCode(), refused.body());
        assertEquals("destination", json(refused).get("field").asText());
        assertTrue(json(refused).get("error").asText().contains("tick overwrite"), refused.body());
        assertEquals(0, scale.copies());

        HttpResponse<String> started = recover(ask(id).put("snapshot", "sgc-2").put("overwrite", true).put("confirm", "scale1"));
        assertEquals(202, started.statusCode(), started.body());
        assertTrue(json(started).get("warnings").toString().contains("overwrite"), started.body());
        await(json(started).get("id").asText(), status("restored"));
        assertEquals("q1 clean", scale.files(SALES + "/reports").get(SALES + "/reports/q1.txt"), "the live file is back");
    }

    @Test
    void a_restore_that_cannot_be_confirmed_says_unknown_and_leaves_the_targets_protection_state_alone() throws Exception {
        Instant t = threeSnapshots();
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));
        scale.failNext("GET", "/scalemgmt/v2/jobs/.+", 500, 100);

        String rid = json(recover(ask(id).put("confirm", "scale1"))).get("id").asText();
        JsonNode d = await(rid, status("unknown"));
        assertTrue(d.at("/action/result/copy.1.outcome").asText().startsWith("unknown"), d.toString());

        JsonNode overview = json(http.get("/api/overview"));
        JsonNode scale1 = null;
        for (JsonNode s : overview.get("targets")) {
            scale1 = s.get("name").asText().equals("scale1") ? s : scale1;
        }
        assertEquals("protected", scale1.get("state").asText(), "a restore says nothing about protection: " + scale1);
    }

    @Test
    void bad_paths_unknown_snapshots_and_a_wrong_confirmation_are_refused_naming_the_field_and_nothing_is_copied() throws Exception {
        Instant t = threeSnapshots();
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));
        record Case(ObjectNode body, String field, String says) {
        }
        List<Case> cases = List.of(
                new Case(ask(id).put("snapshot", "no-such-snap").put("dryRun", true), "snapshot", "no snapshot 'no-such-snap'"),
                new Case(ask(id).put("dryRun", true).set("paths", Json.mapper().createArrayNode().add("/gpfs/gpfs01/hr/pay")),
                        "paths[0]", "not inside fileset sales"),
                new Case(ask(id).put("dryRun", true).set("paths", Json.mapper().createArrayNode().add(SALES + "/a").add(SALES + "/../hr")),
                        "paths[1]", "'..'"),
                new Case(ask(id).put("dryRun", true).set("paths", Json.mapper().createArrayNode().add("reports")),
                        "paths[0]", "absolute"),
                new Case(ask(id).put("dryRun", true).set("paths", Json.mapper().createArrayNode().add(SALES + "/reports").add(SALES + "/reports/deep")),
                        "paths[1]", "overlaps"),
                new Case(ask(id).put("dryRun", true).put("destination", "/elsewhere/x"), "destination", "not inside file system"),
                new Case(ask(id).put("dryRun", true).put("backupId", "1714558500"), "backupId", "CSM targets only"),
                new Case(ask(id).put("confirm", "scale2"), "confirm", "scale1"),
                new Case(ask("a-nope"), "action", "no action"));
        for (Case c : cases) {
            HttpResponse<String> r = recover(c.body);
            assertEquals(400, r.statusCode(), c.body + " → " + r.body());
            JsonNode e = json(r);
            assertEquals(c.field, e.get("field").asText(), r.body());
            assertTrue(e.get("error").asText().contains(c.says), r.body());
        }
        assertEquals(0, scale.copies());
        assertEquals(1, json(http.get("/api/actions?limit=50")).get("items").size(), "no recovery was journaled");
    }

    @Test
    void a_second_restore_to_where_one_is_copying_now_is_refused() throws Exception {
        Instant t = threeSnapshots();
        String id = fire("scale-snapshot", "scale1", SALES + "/reports", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));
        var held = scale.holdAnswer("PUT", ".*/snapshotCopy/.*");
        HttpResponse<String> first = recover(ask(id).put("confirm", "scale1"));
        assertEquals(202, first.statusCode(), first.body());
        held.awaitArrival();

        HttpResponse<String> second = recover(ask(id).put("snapshot", "sgc-2").put("destination", SALES + "/reports.restored-sgc-3")
                .put("confirm", "scale1"));
        assertEquals(409, second.statusCode(), second.body());
        assertEquals("destination", json(second).get("field").asText());
        held.release();
        await(json(first).get("id").asText(), status("restored"));
        assertEquals(1, scale.copies());
    }

    @Test
    void a_copy_scale_fails_and_a_recover_csm_refuses_end_not_restored_saying_why() throws Exception {
        Instant t = threeSnapshots();
        scale.file(SALES + "/new/later.txt", "made after every snapshot");
        String id = fire("scale-snapshot", "scale1", SALES + "/new", t.plus(Duration.ofMinutes(150)));
        await(id, status("protected"));
        String rid = json(recover(ask(id).put("snapshot", "sgc-3").put("confirm", "scale1"))).get("id").asText();
        JsonNode d = await(rid, status("not-restored"));
        assertTrue(d.at("/action/result/copy.1.outcome").asText().contains("EFSSG0264C"), d.toString());
        assertTrue(d.at("/action/error").asText().contains(SALES + "/new not restored"), d.toString());
        assertTrue(scale.files(SALES + "/new.restored-sgc-3").isEmpty());

        long base = Instant.now().minus(Duration.ofHours(5)).getEpochSecond();
        csm.backup("SGC_DB1", Long.toString(base), base * 1000);
        String cid = fire("csm-backup", "csm1", null, Instant.ofEpochSecond(base + 60));
        await(cid, status("protected"));
        csm.recoverMessage = "IWNR1960E";
        String crid = json(recover(ask(cid).put("confirm", "csm1"))).get("id").asText();
        JsonNode c = await(crid, status("not-restored"));
        assertTrue(c.at("/action/error").asText().contains("IWNR1960E"), c.toString());
        assertTrue(csm.recovered("SGC_DB1").isEmpty());
    }

    @Test
    void a_dry_run_target_shows_the_plan_but_never_restores() throws Exception {
        ObjectNode dry = target("cdm", "cdm-dry", cdm.port()).put("dryRun", true);
        dry.putObject("cdm").put("jobName", "SQL-CleanRoom-Restore").put("pollIntervalSeconds", 10);
        assertEquals(201, http.send("POST", "/api/targets", dry.toString()).statusCode());
        String id = fire("cdm-restore", "cdm-dry", null, Instant.now());
        await(id, status("dry-run"));

        assertEquals(200, recover(ask(id).put("dryRun", true)).statusCode());
        HttpResponse<String> refused = recover(ask(id).put("confirm", "cdm-dry"));
        assertEquals(409, refused.statusCode(), refused.body());
        assertEquals("dryRun", json(refused).get("field").asText());
        assertEquals(0, cdm.started("1005"), "CDM was never called");
    }

    @Test
    void a_csm_recovery_recovers_the_newest_valid_backup_before_the_incident_to_the_recovery_volumes() throws Exception {
        long base = Instant.now().minus(Duration.ofHours(5)).getEpochSecond();
        csm.backup("SGC_DB1", Long.toString(base), base * 1000);
        csm.backup("SGC_DB1", Long.toString(base + 3600), (base + 3600) * 1000);
        String id = fire("csm-backup", "csm1", null, Instant.ofEpochSecond(base + 5400));
        await(id, status("protected"));

        JsonNode p = proposal(id);
        assertEquals(Long.toString(base + 3600), p.at("/proposed/id").asText(), p.toString());
        assertEquals("SGC_DB1", p.get("session").asText());
        JsonNode dry = json(recover(ask(id).put("dryRun", true)));
        assertTrue(dry.get("calls").toString().contains("/sessions/SGC_DB1/backups/H1/" + (base + 3600) + " cmd=Recover Backup"), dry.toString());
        assertEquals(0, csm.recovers());

        HttpResponse<String> started = recover(ask(id).put("confirm", "csm1"));
        assertEquals(202, started.statusCode(), started.body());
        JsonNode d = await(json(started).get("id").asText(), status("restored"));
        assertEquals(Long.toString(base + 3600), d.at("/action/result/backupId").asText());
        assertEquals(List.of(Long.toString(base + 3600)), csm.recovered("SGC_DB1"));

        HttpResponse<String> unknown = recover(ask(id).put("backupId", "123").put("confirm", "csm1"));
        assertEquals("backupId", json(unknown).get("field").asText(), unknown.body());
        assertEquals(1, csm.recovers());
    }

    @Test
    void a_cdm_clean_room_restore_is_started_then_ended_once_it_has_been_inspected() throws Exception {
        cdm.runEndsAs = "RESOURCE ACTIVE";
        String id = fire("cdm-restore", "cdm1", null, Instant.now().minusSeconds(60));
        await(id, status("protected"));

        HttpResponse<String> started = recover(ask(id).put("confirm", "cdm1"));
        assertEquals(202, started.statusCode(), started.body());
        String rid = json(started).get("id").asText();
        JsonNode d = await(rid, status("restored"));
        assertEquals("RESOURCE ACTIVE", d.at("/action/result/status").asText(), d.toString());

        HttpResponse<String> wrong = http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"nope\"}");
        assertEquals(400, wrong.statusCode());
        assertEquals("confirm", json(wrong).get("field").asText());
        HttpResponse<String> ended = http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}");
        assertEquals(202, ended.statusCode(), ended.body());
        assertEquals("ending", json(ended).get("state").asText(), ended.body());
        JsonNode step = ended(await(rid, d2 -> ended(d2) != null));
        assertTrue(step.at("/data/ended").asBoolean(), step.toString());
        assertEquals(1, cdm.endIvs());
        String timeline = json(http.get("/api/actions/" + rid)).get("timeline").toString();
        assertTrue(timeline.contains("clean-room-ending") && timeline.contains("clean-room-ended"), timeline);
        assertEquals(409, http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}").statusCode(),
                "ended once");
        assertEquals(1, cdm.endIvs());
        assertEquals(400, http.send("POST", "/api/recoveries/" + id + "/end", "{\"confirm\":\"cdm1\"}").statusCode(),
                "only a clean-room recovery can be ended");
    }

    /** The recovery's clean-room-ended step, or null while there is none. */
    private static JsonNode ended(JsonNode detail) {
        for (JsonNode step : detail.get("timeline")) {
            if (step.get("event").asText().equals("clean-room-ended")) {
                return step;
            }
        }
        return null;
    }

    @Test
    void ending_a_clean_room_answers_before_cdm_does_and_the_timeline_shows_the_outcome_once_it_has_answered() throws Exception {
        cdm.runEndsAs = "RESOURCE ACTIVE";
        String id = fire("cdm-restore", "cdm1", null, Instant.now().minusSeconds(60));
        await(id, status("protected"));
        HttpResponse<String> started = recover(ask(id).put("confirm", "cdm1"));
        assertEquals(202, started.statusCode(), started.body());
        String rid = json(started).get("id").asText();
        await(rid, status("restored"));
        var held = cdm.holdAnswer("POST", "/api/endeavour/jobsession/.+");

        HttpResponse<String> ending = http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}");
        assertEquals(202, ending.statusCode(), ending.body());
        JsonNode e = json(ending);
        assertEquals("ending", e.get("state").asText(), ending.body());
        assertEquals(rid, e.get("id").asText());
        held.awaitArrival();
        JsonNode meanwhile = json(http.get("/api/actions/" + rid));
        assertNull(ended(meanwhile), "CDM has not answered yet: " + meanwhile);
        assertTrue(meanwhile.get("timeline").toString().contains("clean-room-ending"), meanwhile.toString());
        HttpResponse<String> again = http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}");
        assertEquals(409, again.statusCode(), "one end at a time: " + again.body());
        assertEquals("id", json(again).get("field").asText());

        held.release();
        JsonNode step = ended(await(rid, d -> ended(d) != null));
        assertTrue(step.at("/data/ended").asBoolean(), step.toString());
        assertEquals(1, cdm.endIvs(), "one end_iv, not retried nor doubled");
        assertEquals("COMPLETED", cdm.runs("1005").get(cdm.runs("1005").size() - 1).status());
        assertEquals(List.of(), cdm.violations());
    }

    @Test
    void a_clean_room_end_that_cdm_refuses_is_shown_on_the_timeline_and_may_be_asked_again() throws Exception {
        cdm.runEndsAs = "RESOURCE ACTIVE";
        String id = fire("cdm-restore", "cdm1", null, Instant.now().minusSeconds(60));
        await(id, status("protected"));
        String rid = json(recover(ask(id).put("confirm", "cdm1"))).get("id").asText();
        await(rid, status("restored"));
        cdm.failNext("POST", "/api/endeavour/jobsession/.+", 400, 1);

        assertEquals(202, http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}").statusCode());
        JsonNode step = ended(await(rid, d -> ended(d) != null));
        assertFalse(step.at("/data/ended").asBoolean(), step.toString());
        assertTrue(step.at("/data/error").asText().length() > 0, step.toString());

        assertEquals(202, http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}").statusCode(),
                "a failed end may be asked again");
        await(rid, d -> {
            for (JsonNode s : d.get("timeline")) {
                if (s.get("event").asText().equals("clean-room-ended") && s.at("/data/ended").asBoolean()) {
                    return true;
                }
            }
            return false;
        });
        assertEquals(List.of(), cdm.violations());
    }

    @Test
    void stopping_the_app_while_a_clean_room_is_being_ended_records_no_outcome_and_the_end_may_be_asked_again() throws Exception {
        cdm.runEndsAs = "RESOURCE ACTIVE";
        String id = fire("cdm-restore", "cdm1", null, Instant.now().minusSeconds(60));
        await(id, status("protected"));
        String rid = json(recover(ask(id).put("confirm", "cdm1"))).get("id").asText();
        await(rid, status("restored"));
        var held = cdm.holdAnswer("POST", "/api/endeavour/jobsession/.+");
        assertEquals(202, http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}").statusCode());
        held.awaitArrival();

        app.stop();
        held.release();
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        http = TestHttp.admin(app.port(), tmp.resolve("store"));
        JsonNode after = json(http.get("/api/actions/" + rid));
        assertTrue(after.get("timeline").toString().contains("clean-room-ending"), after.toString());
        assertNull(ended(after), "a stop is not the end's outcome: " + after);
        HttpResponse<String> again = http.send("POST", "/api/recoveries/" + rid + "/end", "{\"confirm\":\"cdm1\"}");
        assertEquals(202, again.statusCode(), "the end may be asked again: " + again.body());
        assertTrue(ended(await(rid, d -> ended(d) != null)).at("/data/ended").isBoolean());
        assertEquals(List.of(), cdm.violations());
    }
}
