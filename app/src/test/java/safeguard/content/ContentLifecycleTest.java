package safeguard.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.dsm.Dsm;
import safeguard.dsm.ReferenceSets;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import java.time.Clock;
import safeguard.store.Store;

/** The whole life of the app's QRadar content, custom actions and log sources included, on the strict console. */
class ContentLifecycleTest {
    static final String APP_URL = "https://console.example.com/console/plugins/1051/app_proxy";
    /** In the script's positional order; 10 and 11 came with the event's time, so older actions have 9. */
    static final List<String> PARAMETERS = List.of("app_url", "action_token", "sec_token", "console_sha256",
            "action_type", "target", "username", "filename", "file_path", "wait_seconds", "event_time");
    static final List<CustomActions.Spec> SPECS = List.of(new CustomActions.Spec("scale-prod", "scale-snapshot"),
            new CustomActions.Spec("csm-ds8k", "csm-backup"));

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    Store store;
    FakeConsole fake;
    final List<String> hosts = new ArrayList<>(List.of("scale-node-1", "scale-node-2.example.com"));

    @BeforeEach
    void open() {
        store = Store.open(tmp.resolve("store"));
        fake = console.fake();
    }

    static final String PIN = "AB:CD:EF";
    Settings settings = new Settings(300, false, List.of(), 3L, 4L, 365);
    final safeguard.MutableClock clock = new safeguard.MutableClock(java.time.Instant.now());

    ContentProvisioner provisioner() {
        QradarClient client = console.service();
        ActionCaller caller = new ActionCaller(store, client, clock, () -> settings, () -> PIN);
        return new ContentProvisioner(client, Dsm.bundled(), ReferenceSets.bundled(),
                ContentLedger.load(store), APP_URL, () -> SPECS, () -> List.copyOf(hosts), caller);
    }

    int rows(String path) {
        return fake.table(path).size();
    }

    @Test
    void install_five_restarts_a_half_failed_run_a_token_push_and_uninstall_keep_everything_exactly_once() {
        var half = console.wireMock().stubFor(post(urlPathEqualTo("/api" + CustomActions.ACTIONS)).atPriority(1)
                .willReturn(aResponse().withStatus(500)));
        assertThrows(QradarException.class, () -> provisioner().reconcile());
        console.wireMock().removeStub(half);
        for (int restart = 0; restart < 5; restart++) {
            provisioner().reconcile();
        }

        int props = Dsm.bundled().customProperties().size();
        int qids = Dsm.bundled().qidRecords().size();
        assertEquals(props, rows(ContentProvisioner.PROPERTIES));
        assertEquals(props, rows(ContentProvisioner.EXPRESSIONS) + rows(ContentProvisioner.JSON_EXPRESSIONS));
        assertEquals(qids + 1, rows(ContentProvisioner.QID_RECORDS));
        assertEquals(qids, rows(ContentProvisioner.EVENT_MAPPINGS));
        assertEquals(1, rows(CustomActions.SCRIPTS), "one script serves every action, uploaded once");
        assertEquals(2, rows(CustomActions.ACTIONS));
        assertEquals(2, rows(ContentProvisioner.LOG_SOURCES));
        assertEquals(1, rows(ActionCaller.SERVICES), "one authorized service for the script, made once");

        assertEquals(2, provisioner().pushActionToken("sgr_fresh-token"));
        for (ObjectNode a : fake.table(CustomActions.ACTIONS)) {
            assertEquals("sgr_fresh-token", fake.actionParameters(a.get("id").asLong()).get("action_token"));
        }

        UninstallResult result = provisioner().uninstall();
        assertEquals(List.of(), result.failed());
        assertEquals(0, rows(CustomActions.ACTIONS));
        assertEquals(0, rows(CustomActions.SCRIPTS));
        assertEquals(0, rows(ContentProvisioner.LOG_SOURCES));
        assertEquals(0, rows(ContentProvisioner.PROPERTIES));
        assertEquals(0, rows(ActionCaller.SERVICES), "the script's service goes with the actions");
        assertEquals(qids + 1, rows(ContentProvisioner.QID_RECORDS), "left, and said so");
        assertEquals(2 * qids + 1, result.left().size());
    }

    @Test
    void each_target_gets_a_custom_action_running_the_shipped_script_with_columns_the_console_lists() {
        provisioner().reconcile();

        List<ObjectNode> scripts = fake.table(CustomActions.SCRIPTS);
        assertEquals("safeguard-action.py", scripts.get(0).get("file_name").asText());
        assertTrue(new String(fake.script(scripts.get(0).get("id").asLong()), StandardCharsets.UTF_8)
                .startsWith("#!/usr/bin/env python3"));
        ObjectNode scale = fake.table(CustomActions.ACTIONS).get(0);
        assertEquals("Safeguard Responder: scale-prod", scale.get("name").asText());
        assertEquals(2, scale.get("interpreter").asInt(), "the python interpreter");
        assertEquals(PARAMETERS, scale.get("parameters").findValuesAsText("name"));
        JsonNode token = scale.get("parameters").get(1);
        assertTrue(token.get("encrypted").asBoolean());
        assertTrue(scale.get("parameters").get(2).get("encrypted").asBoolean());
        Map<String, String> values = fake.actionParameters(scale.get("id").asLong());
        assertEquals(CustomActions.NO_TOKEN_YET, values.get("action_token"));
        assertEquals(fake.table(ActionCaller.SERVICES).get(0).get("_token").asText(), values.get("sec_token"),
                "the authorized service's token, which QRadar's app proxy accepts as SEC");
        assertEquals(PIN, values.get("console_sha256"));
        assertEquals("Filename", scale.get("parameters").get(7).get("value").asText());
        assertEquals(APP_URL, scale.get("parameters").get(0).get("value").asText());
        JsonNode wait = scale.get("parameters").get(9);
        assertEquals("fixed", wait.get("parameter_type").asText());
        assertEquals(false, wait.get("encrypted").asBoolean());
        assertEquals("90", wait.get("value").asText(), "the script's default");
        JsonNode eventTime = scale.get("parameters").get(10);
        assertEquals("dynamic", eventTime.get("parameter_type").asText());
        assertEquals("devicetime", eventTime.get("value").asText(), "when the storage system says the event happened");
    }

    @Test
    void actions_and_the_script_an_older_version_left_with_nine_parameters_are_brought_up_to_date_once() throws Exception {
        provisioner().reconcile();
        QradarClient qradar = console.service();
        // What the version before event_time left: its script, actions with nine parameters (the encrypted values as
        // that version sent them) and a state file without the script's digest.
        long scriptId = fake.table(CustomActions.SCRIPTS).get(0).get("id").asLong();
        byte[] old = "#!/usr/bin/env python3\n# the script of the version with nine parameters\n".getBytes(StandardCharsets.UTF_8);
        qradar.upload(CustomActions.SCRIPTS + "/" + scriptId, CustomActions.SCRIPT_FILE, old);
        for (ObjectNode a : fake.table(CustomActions.ACTIONS)) {
            ObjectNode body = a.deepCopy();
            ArrayNode nine = body.putArray("parameters");
            Map<String, String> sent = fake.actionParameters(a.get("id").asLong());
            for (JsonNode p : a.get("parameters")) {
                if (nine.size() < 9) {
                    nine.add(((ObjectNode) p.deepCopy()).put("value", sent.get(p.get("name").asText())));
                }
            }
            qradar.post(CustomActions.ACTIONS + "/" + a.get("id").asText(), Map.of(), body);
        }
        ObjectNode state = (ObjectNode) Json.mapper().readTree(store.read(ActionCaller.FILE).orElseThrow());
        state.remove("script");
        store.writeAtomically(ActionCaller.FILE, Json.mapper().writeValueAsBytes(state));
        String secToken = fake.table(ActionCaller.SERVICES).get(0).get("_token").asText();
        assertEquals(9, fake.table(CustomActions.ACTIONS).get(0).get("parameters").size());

        List<ItemStatus> report = provisioner().reconcile();

        for (ObjectNode a : fake.table(CustomActions.ACTIONS)) {
            assertEquals(PARAMETERS, a.get("parameters").findValuesAsText("name"));
            assertEquals("devicetime", a.get("parameters").get(10).get("value").asText());
            Map<String, String> values = fake.actionParameters(a.get("id").asLong());
            assertEquals(CustomActions.NO_TOKEN_YET, values.get("action_token"), "the sealed values go along");
            assertEquals(secToken, values.get("sec_token"));
            assertEquals(scriptId, a.get("script").asLong());
        }
        assertEquals(scriptId, fake.table(CustomActions.SCRIPTS).get(0).get("id").asLong(), "replaced in place");
        assertEquals(1, rows(CustomActions.SCRIPTS));
        assertArrayEquals(CustomActions.script(), fake.script(scriptId), "the script that reads event_time");
        assertEquals(2, report.stream().filter(i -> i.kind().equals(ContentProvisioner.CUSTOM_ACTION)
                && i.state().equals("updated")).count(), report.toString());
        assertTrue(report.stream().anyMatch(i -> i.kind().equals(ContentProvisioner.CUSTOM_ACTION_SCRIPT)
                && i.state().equals("updated") && i.detail().contains("deploy changes")), report.toString());

        long writes = fake.writes();
        List<ItemStatus> again = provisioner().reconcile();
        assertEquals(writes, fake.writes(), "up to date: a restart rewrites neither the actions nor the script");
        assertTrue(again.stream().filter(i -> i.kind().startsWith(ContentProvisioner.CUSTOM_ACTION))
                .allMatch(i -> i.state().equals("present")), again.toString());
    }

    @Test
    void a_wait_an_admin_set_on_an_action_survives_updates_and_one_the_script_would_refuse_does_not() {
        provisioner().reconcile();
        ObjectNode scale = fake.table(CustomActions.ACTIONS).get(0);
        ObjectNode csm = fake.table(CustomActions.ACTIONS).get(1);
        adminSetsWait(scale, "30");
        adminSetsWait(csm, "forever");

        List<ItemStatus> report = provisioner().reconcile();
        assertEquals(List.of("present", "updated"), report.stream()
                .filter(i -> i.kind().equals(ContentProvisioner.CUSTOM_ACTION)).map(ItemStatus::state).toList());
        provisioner().pushActionToken("sgr_third");

        assertEquals("30", fake.table(CustomActions.ACTIONS).get(0).get("parameters").get(9).get("value").asText());
        assertEquals("90", fake.table(CustomActions.ACTIONS).get(1).get("parameters").get(9).get("value").asText());
        assertEquals("sgr_third", fake.actionParameters(scale.get("id").asLong()).get("action_token"));
    }

    /** What Admin -> Define Actions does: the whole action again, one value changed. */
    private void adminSetsWait(ObjectNode action, String wait) {
        ObjectNode body = action.deepCopy();
        Map<String, String> sent = fake.actionParameters(action.get("id").asLong());
        for (JsonNode p : body.withArray("parameters")) {
            String name = p.get("name").asText();
            ((ObjectNode) p).put("value", name.equals(CustomActions.WAIT_SECONDS) ? wait : sent.get(name));
        }
        console.service().post(CustomActions.ACTIONS + "/" + action.get("id").asText(), Map.of(), body);
    }

    @Test
    void a_token_push_sends_the_whole_action_as_the_update_page_requires() {
        provisioner().reconcile();
        ObjectNode before = fake.table(CustomActions.ACTIONS).get(0).deepCopy();

        provisioner().pushActionToken("sgr_second");

        ObjectNode after = fake.table(CustomActions.ACTIONS).get(0);
        assertEquals(before.get("script"), after.get("script"));
        assertEquals(before.get("interpreter"), after.get("interpreter"));
        assertEquals(before.get("name"), after.get("name"));
        assertEquals("sgr_second", fake.actionParameters(after.get("id").asLong()).get("action_token"));
        assertNotEquals("sgr_second", console.service().get(CustomActions.ACTIONS + "/" + after.get("id").asText(), Map.of())
                .get("parameters").get(1).get("value").asText(), "QRadar never answers an encrypted value in clear");
        long writes = fake.writes();
        provisioner().reconcile();
        assertEquals(writes, fake.writes(), "armed already: a restart rewrites no action");
    }

    @Test
    void rotating_the_scripts_service_arms_every_action_with_the_new_token_and_deletes_the_old_service() {
        provisioner().reconcile();
        String old = fake.table(ActionCaller.SERVICES).get(0).get("_token").asText();

        assertEquals(2, provisioner().rotateCaller());

        assertEquals(1, rows(ActionCaller.SERVICES));
        String fresh = fake.table(ActionCaller.SERVICES).get(0).get("_token").asText();
        assertNotEquals(old, fresh);
        for (ObjectNode a : fake.table(CustomActions.ACTIONS)) {
            assertEquals(fresh, fake.actionParameters(a.get("id").asLong()).get("sec_token"));
        }
        assertThrows(QradarException.class, () -> console.client(old).get("/help/versions", Map.of()),
                "the old token stops working");
    }

    @Test
    void a_new_role_in_settings_replaces_the_service_and_an_unset_one_is_reported() {
        settings = new Settings(300, false, List.of(), null, null, 365);
        List<ItemStatus> report = provisioner().reconcile();
        ItemStatus waiting = report.stream().filter(i -> i.kind().equals(ActionCaller.KIND)).findFirst().orElseThrow();
        assertEquals("missing", waiting.state());
        assertTrue(waiting.detail().contains("choose the user role"), waiting.detail());

        settings = new Settings(300, false, List.of(), 3L, 4L, 30);
        provisioner().reconcile();
        ObjectNode first = fake.table(ActionCaller.SERVICES).get(0);
        assertEquals(3, first.get("user_role_id").asInt());
        assertTrue(first.get("expiration_date").asLong() > System.currentTimeMillis() + 29L * 86_400_000L);

        settings = new Settings(300, false, List.of(), 2L, 4L, 30);
        provisioner().reconcile();
        assertEquals(1, rows(ActionCaller.SERVICES));
        assertEquals(2, fake.table(ActionCaller.SERVICES).get(0).get("user_role_id").asInt());
    }

    @Test
    void one_log_source_per_scale_host_is_made_once_and_a_new_host_adds_one() {
        provisioner().reconcile();
        provisioner().reconcile();
        assertEquals(2, rows(ContentProvisioner.LOG_SOURCES));
        ObjectNode ls = fake.table(ContentProvisioner.LOG_SOURCES).get(0);
        assertEquals("Storage Scale audit @ scale-node-1", ls.get("name").asText());
        assertEquals("scale-node-1", ls.get("protocol_parameters").get(0).get("value").asText());

        hosts.add("scale-node-3");
        List<ItemStatus> report = provisioner().reconcile();
        assertEquals(3, rows(ContentProvisioner.LOG_SOURCES));
        assertEquals(1, report.stream().filter(i -> i.kind().equals(ContentProvisioner.LOG_SOURCE)
                && i.state().equals("created")).count());
    }

    @Test
    void a_log_source_name_someone_else_took_is_reported_not_fatal() {
        provisioner().reconcile();
        ContentProvisioner fresh = provisioner();
        fake.table(ContentProvisioner.LOG_SOURCES).get(1).put("_identifier", "other").withArray("protocol_parameters")
                .removeAll().addObject().put("name", "identifier").put("value", "other");

        List<ItemStatus> report = fresh.reconcile();

        ItemStatus taken = report.stream().filter(i -> i.kind().equals(ContentProvisioner.LOG_SOURCE)
                && i.state().equals("drifted")).findFirst().orElseThrow();
        assertTrue(taken.detail().contains("already has a log source"), taken.detail());
    }

    @Test
    void the_scripts_service_is_renewed_before_it_expires_and_not_sooner() {
        settings = new Settings(300, false, List.of(), 3L, 4L, 30);
        provisioner().reconcile();
        long first = fake.table(ActionCaller.SERVICES).get(0).get("id").asLong();

        clock.advance(java.time.Duration.ofDays(26)); // 4 days left; the margin of a 30-day life is 3 days
        provisioner().reconcile();
        assertEquals(first, fake.table(ActionCaller.SERVICES).get(0).get("id").asLong());

        clock.advance(java.time.Duration.ofDays(2)); // 2 days left
        List<ItemStatus> report = provisioner().reconcile();
        assertEquals(1, rows(ActionCaller.SERVICES), "the old one is deleted once the actions carry the new token");
        assertNotEquals(first, fake.table(ActionCaller.SERVICES).get(0).get("id").asLong());
        assertTrue(report.stream().anyMatch(i -> i.kind().equals(ActionCaller.KIND) && i.detail() != null
                && i.detail().startsWith("replaced before it expires")), report.toString());
    }
}
