package safeguard.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.deleteRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.equalTo;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.postRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.dsm.Dsm;
import safeguard.dsm.ReferenceSets;
import safeguard.http.RetryPolicy;
import safeguard.qradar.FakeQradar;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.store.Store;

class ContentProvisionerTest {
    private static final Dsm DSM = Dsm.bundled();
    private static final int PROPS = DSM.customProperties().size();
    private static final int QIDS = DSM.qidRecords().size();

    final FakeQradar fake = new FakeQradar();

    @RegisterExtension
    final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().extensions(fake)).build();

    @TempDir
    Path tmp;
    private Store store;

    @BeforeEach
    void routeEverythingToTheFake() {
        wm.stubFor(any(urlPathMatching("/api/.*")).atPriority(10)
                .willReturn(aResponse().withTransformers(FakeQradar.NAME)));
        store = Store.open(tmp.resolve("store"));
    }

    private ContentProvisioner provisioner() {
        QradarClient client = new QradarClient(wm.baseUrl() + "/api", FakeQradar.TOKEN, null, ProxySettings.NONE,
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO, d -> { }));
        return new ContentProvisioner(client, DSM, ReferenceSets.bundled(), ContentLedger.load(store));
    }

    private int posts() {
        return wm.findAll(postRequestedFor(anyUrl())).size();
    }

    private static Map<String, Long> byState(List<ItemStatus> report) {
        return report.stream().collect(Collectors.groupingBy(ItemStatus::state, Collectors.counting()));
    }

    @Test
    void a_fresh_install_creates_every_piece_of_content_once_and_records_it() {
        List<ItemStatus> report = provisioner().reconcile();

        assertEquals(1, fake.table(ContentProvisioner.LOG_SOURCE_TYPES).size());
        ObjectNode lst = fake.table(ContentProvisioner.LOG_SOURCE_TYPES).get(0);
        assertEquals("IBM Storage Scale File Audit", lst.get("name").asText());
        assertEquals(0, lst.get("default_protocol_id").asInt(), "Syslog, looked up by name");
        assertEquals(PROPS, fake.table(ContentProvisioner.PROPERTIES).size());
        assertEquals(PROPS, fake.table(ContentProvisioner.EXPRESSIONS).size());
        assertEquals(QIDS + 1, fake.table(ContentProvisioner.QID_RECORDS).size(), "every event plus the fallback");
        assertEquals(QIDS, fake.table(ContentProvisioner.EVENT_MAPPINGS).size());
        assertEquals(List.of("2001", "2002"), fake.referenceSets.get("Authorized-Sales-Users").get("data")
                .findValuesAsText("value"));
        assertEquals("ALN", fake.referenceSets.get("Confidential-Files").get("element_type").asText());

        ObjectNode expr = fake.table(ContentProvisioner.EXPRESSIONS).get(0);
        assertEquals(DSM.customProperties().get(0).regex(), expr.get("regex").asText());
        assertEquals(lst.get("id").asLong(), expr.get("log_source_type_id").asLong());
        ObjectNode created = fake.table(ContentProvisioner.QID_RECORDS).stream()
                .filter(q -> q.get("name").asText().equals("Storage Scale File Created")).findFirst().orElseThrow();
        assertEquals(8028, created.get("low_level_category_id").asInt());

        assertEquals(Map.of("created", (long) report.size()), byState(report));
        assertTrue(ContentLedger.load(store).entries().stream().allMatch(LedgerEntry::created));
        wm.verify(anyRequestedFor(anyUrl()).withHeader("SEC", equalTo(FakeQradar.TOKEN))
                .withHeader("Version", equalTo("17.0")).withHeader("Accept", equalTo("application/json")));
        assertEquals(0, wm.findAll(anyRequestedFor(anyUrl())).stream()
                .filter(r -> r.getHeader("Version") == null).count(), "every call names the API version");
    }

    @Test
    void a_second_run_makes_no_writes() {
        provisioner().reconcile();
        int before = posts();
        List<ItemStatus> again = provisioner().reconcile();
        assertEquals(before, posts());
        assertEquals(0, wm.findAll(deleteRequestedFor(anyUrl())).size());
        assertEquals(Map.of("present", (long) again.size()), byState(again));
    }

    @Test
    void content_an_admin_made_is_adopted_not_duplicated_and_their_set_is_not_seeded() {
        fake.adminCreates(ContentProvisioner.PROPERTIES, "name", "File system", "property_type", "string");
        fake.adminCreatesReferenceSet("Confidential-Files", "ALN", "board-minutes.docx");

        provisioner().reconcile();

        assertEquals(PROPS, fake.table(ContentProvisioner.PROPERTIES).size());
        assertEquals(List.of("board-minutes.docx"),
                fake.referenceSets.get("Confidential-Files").get("data").findValuesAsText("value"));
        LedgerEntry fs = ContentLedger.load(store).find(ContentProvisioner.PROPERTY, "File system").orElseThrow();
        assertFalse(fs.created());
    }

    @Test
    void a_409_on_create_means_someone_else_made_it_and_it_is_adopted() {
        wm.stubFor(post(urlPathEqualTo("/api/reference_data/sets")).atPriority(1)
                .willReturn(aResponse().withStatus(409).withHeader("Content-Type", "application/json")
                        .withBody("{\"http_response\":{\"code\":409,\"message\":\"Conflict\"},\"code\":1004,"
                                + "\"message\":\"The name is already in use\"}")));

        List<ItemStatus> report = provisioner().reconcile();

        assertTrue(report.stream().anyMatch(i -> i.kind().equals("reference-set") && i.state().equals("present")),
                "409 counts as the set being there");
        assertTrue(report.stream().noneMatch(i -> i.kind().equals("reference-set-seed")),
                "a set that appeared meanwhile is not ours to seed");
        assertFalse(ContentLedger.load(store).find(ContentProvisioner.SET, "Confidential-Files").orElseThrow().created());
    }

    @Test
    void a_failure_half_way_resumes_cleanly_without_duplicates() {
        wm.stubFor(post(urlPathEqualTo("/api/data_classification/qid_records")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        QradarException e = assertThrows(QradarException.class, () -> provisioner().reconcile());
        assertEquals(503, e.status());
        assertEquals(3, wm.findAll(postRequestedFor(urlPathEqualTo("/api/data_classification/qid_records"))).size(),
                "a 5xx is retried, within bounds");
        assertEquals(PROPS, fake.table(ContentProvisioner.EXPRESSIONS).size(), "work before the failure stays");
        assertEquals(1 + 2 * PROPS, ContentLedger.load(store).entries().size(), "and is recorded");

        wm.resetMappings();
        routeEverythingToTheFake();
        List<ItemStatus> resumed = provisioner().reconcile();

        assertEquals(1, fake.table(ContentProvisioner.LOG_SOURCE_TYPES).size());
        assertEquals(PROPS, fake.table(ContentProvisioner.PROPERTIES).size());
        assertEquals(QIDS + 1, fake.table(ContentProvisioner.QID_RECORDS).size());
        assertEquals(1 + 2 * PROPS, byState(resumed).get("present"));
        assertTrue(ContentLedger.load(store).find(ContentProvisioner.LST, "IBM Storage Scale File Audit")
                .orElseThrow().created(), "still known as ours, so the uninstall hook removes it");
    }

    @Test
    void a_transient_5xx_is_retried_and_the_run_succeeds() {
        wm.stubFor(any(urlPathEqualTo("/api/config/event_sources/log_source_management/log_source_types"))
                .atPriority(1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        List<ItemStatus> report = provisioner().reconcile();
        assertEquals(1, fake.table(ContentProvisioner.LOG_SOURCE_TYPES).size());
        assertTrue(report.stream().allMatch(i -> i.state().equals("created")));
    }

    @Test
    void a_401_fails_at_once_without_retrying() {
        QradarClient wrongToken = new QradarClient(wm.baseUrl() + "/api", "wrong", null, ProxySettings.NONE,
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO, d -> { }));
        ContentProvisioner p = new ContentProvisioner(wrongToken, DSM, ReferenceSets.bundled(), ContentLedger.load(store));
        QradarException e = assertThrows(QradarException.class, p::reconcile);
        assertEquals(401, e.status());
        assertEquals(22, e.code());
        assertTrue(e.getMessage().contains("No SEC header"), e.getMessage());
        assertEquals(1, wm.findAll(anyRequestedFor(anyUrl())).size());
    }

    @Test
    void an_expression_we_created_is_brought_back_in_line_but_an_admins_is_only_reported() {
        provisioner().reconcile();
        ObjectNode ours = fake.table(ContentProvisioner.EXPRESSIONS).get(0);
        ours.put("regex", "tampered");
        ObjectNode theirs = fake.table(ContentProvisioner.EXPRESSIONS).get(1);
        theirs.put("regex", "admin's own");
        ContentLedger ledger = ContentLedger.load(store);
        LedgerEntry second = ledger.find(ContentProvisioner.EXPRESSION, DSM.customProperties().get(1).name()).orElseThrow();
        ledger.forget(second);
        ledger.record(new LedgerEntry(second.kind(), second.name(), second.id(), false));

        List<ItemStatus> report = provisioner().reconcile();

        assertEquals(DSM.customProperties().get(0).regex(), ours.get("regex").asText());
        assertEquals("admin's own", theirs.get("regex").asText());
        assertEquals(1, byState(report).get("updated"));
        assertEquals(1, byState(report).get("drifted"));
    }

    @Test
    void uninstall_removes_exactly_what_the_app_created() {
        ObjectNode adminProperty = fake.adminCreates(ContentProvisioner.PROPERTIES, "name", "File system",
                "property_type", "string");
        fake.adminCreatesReferenceSet("Confidential-Files", "ALN", "board-minutes.docx");
        provisioner().reconcile();

        UninstallResult result = provisioner().uninstall();

        assertEquals(List.of(), result.failed());
        assertTrue(fake.table(ContentProvisioner.LOG_SOURCE_TYPES).isEmpty());
        assertEquals(List.of(adminProperty), fake.table(ContentProvisioner.PROPERTIES), "the admin's property stays");
        assertTrue(fake.table(ContentProvisioner.QID_RECORDS).isEmpty());
        assertTrue(fake.referenceSets.containsKey("Confidential-Files"), "the admin's set stays");
        assertFalse(fake.referenceSets.containsKey("Authorized-Sales-Users"));
        assertEquals(0, wm.findAll(deleteRequestedFor(urlPathMatching(".*/regex_properties/" + adminProperty.get("id").asText()))).size());
        assertTrue(ContentLedger.load(store).entries().stream().noneMatch(LedgerEntry::created));
    }

    private ContentProvisioner withActions(List<CustomActions.Spec> specs) {
        QradarClient client = new QradarClient(wm.baseUrl() + "/api", FakeQradar.TOKEN, null, ProxySettings.NONE,
                new RetryPolicy(3, Duration.ZERO, Duration.ZERO, d -> { }));
        return new ContentProvisioner(client, DSM, ReferenceSets.bundled(), ContentLedger.load(store),
                "https://console.example.com/console/plugins/1051/app_proxy", () -> specs);
    }

    @Test
    void each_target_gets_a_custom_action_running_the_shipped_script_which_a_shown_token_arms() throws Exception {
        List<CustomActions.Spec> specs = List.of(new CustomActions.Spec("scale-prod", "scale-snapshot"),
                new CustomActions.Spec("csm-ds8k", "csm-backup"));
        withActions(specs).reconcile();

        List<ObjectNode> scripts = fake.table(CustomActions.SCRIPTS);
        assertEquals(1, scripts.size(), "one script serves every action");
        assertEquals("safeguard-action.py", scripts.get(0).get("file_name").asText());
        assertTrue(scripts.get(0).get("content").asText().startsWith("#!/usr/bin/env python3"));
        List<ObjectNode> actions = fake.table(CustomActions.ACTIONS);
        assertEquals(2, actions.size());
        ObjectNode scale = actions.get(0);
        assertEquals("Safeguard Responder: scale-prod", scale.get("name").asText());
        assertEquals(3, scale.get("interpreter").asInt(), "the python interpreter");
        assertEquals(scripts.get(0).get("id").asLong(), scale.get("script").asLong());
        List<String> order = scale.get("parameters").findValuesAsText("name");
        assertEquals(List.of("app_url", "action_token", "action_type", "target", "username", "filename", "file_path"), order);
        var token = scale.get("parameters").get(1);
        assertTrue(token.get("encrypted").asBoolean());
        assertEquals("fixed", token.get("parameter_type").asText());
        assertEquals("dynamic", scale.get("parameters").get(5).get("parameter_type").asText());
        assertEquals("Filename", scale.get("parameters").get(5).get("value").asText());
        assertEquals("https://console.example.com/console/plugins/1051/app_proxy",
                scale.get("parameters").get(0).get("value").asText());

        int before = posts();
        withActions(specs).reconcile();
        assertEquals(before, posts(), "idempotent");

        assertEquals(2, withActions(specs).pushActionToken("sgr_fresh-token"));
        assertEquals("sgr_fresh-token", fake.table(CustomActions.ACTIONS).get(1).get("parameters").get(1).get("value").asText());

        UninstallResult removed = withActions(specs).uninstall();
        assertEquals(List.of(), removed.failed());
        assertTrue(fake.table(CustomActions.ACTIONS).isEmpty());
        assertTrue(fake.table(CustomActions.SCRIPTS).isEmpty());
    }
}
