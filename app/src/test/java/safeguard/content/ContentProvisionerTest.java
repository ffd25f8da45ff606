package safeguard.content;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.dsm.CustomProperty;
import safeguard.dsm.Dsm;
import safeguard.dsm.ReferenceSets;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.store.Store;

/** Provisioning against a console that holds the app to IBM's API 26.0 pages (any violation fails the test). */
class ContentProvisionerTest {
    static final Dsm DSM = Dsm.bundled();
    static final int PROPS = DSM.customProperties().size();
    static final int JSON_PROPS = (int) DSM.customProperties().stream().filter(CustomProperty::isJson).count();
    static final int QIDS = DSM.qidRecords().size();

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;
    Store store;
    FakeConsole fake;

    @BeforeEach
    void open() {
        store = Store.open(tmp.resolve("store"));
        fake = console.fake();
    }

    /** A new process each time: a fresh client (API version asked again) and the ledger read from disk. */
    ContentProvisioner provisioner() {
        return new ContentProvisioner(console.service(), DSM, ReferenceSets.bundled(), ContentLedger.load(store));
    }

    static Map<String, Long> byState(List<ItemStatus> report) {
        return report.stream().collect(Collectors.groupingBy(ItemStatus::state, Collectors.counting()));
    }

    int rows(String path) {
        return fake.table(path).size();
    }

    /** What the console holds of ours: each piece exactly once. */
    void assertExactlyOnce() {
        assertEquals(1, fake.table(ContentProvisioner.LOG_SOURCE_TYPES).stream()
                .filter(t -> t.path("name").asText().equals(DSM.logSourceTypeName())).count());
        assertEquals(PROPS, rows(ContentProvisioner.PROPERTIES));
        assertEquals(JSON_PROPS, rows(ContentProvisioner.JSON_EXPRESSIONS));
        assertEquals(PROPS - JSON_PROPS, rows(ContentProvisioner.EXPRESSIONS));
        assertEquals(QIDS + 1, rows(ContentProvisioner.QID_RECORDS), "every event plus the fallback, once");
        assertEquals(QIDS, rows(ContentProvisioner.EVENT_MAPPINGS));
        assertEquals(List.of("2001", "2002"), fake.setValues("Authorized-Sales-Users"));
        assertEquals(3, fake.setValues("Confidential-Files").size());
    }

    @Test
    void a_fresh_install_creates_every_piece_of_content_once_with_the_newest_api_version() {
        List<ItemStatus> report = provisioner().reconcile();

        assertExactlyOnce();
        ObjectNode lst = fake.table(ContentProvisioner.LOG_SOURCE_TYPES).stream()
                .filter(t -> t.path("custom").asBoolean()).findFirst().orElseThrow();
        assertEquals(0, lst.get("default_protocol_id").asInt(), "Syslog, looked up by name");
        ObjectNode path = fake.table(ContentProvisioner.JSON_EXPRESSIONS).stream()
                .filter(e -> e.path("expression").asText().equals("/\"path\"")).findFirst().orElseThrow();
        assertEquals(lst.get("id").asLong(), path.get("log_source_type_id").asLong());
        ObjectNode created = fake.table(ContentProvisioner.QID_RECORDS).stream()
                .filter(q -> q.get("name").asText().equals("Storage Scale File Created")).findFirst().orElseThrow();
        assertEquals(8028, created.get("low_level_category_id").asInt());
        assertEquals(Map.of("created", (long) report.size()), byState(report));
        assertTrue(ContentLedger.load(store).entries().stream().allMatch(LedgerEntry::created));
        assertTrue(fake.requests().stream().filter(r -> !r.path().equals("/api/help/versions"))
                .allMatch(r -> "26.0".equals(r.version())), "every call names API 26.0");
    }

    @Test
    void a_restart_with_nothing_to_do_only_reads() {
        provisioner().reconcile();
        long writes = fake.writes();
        List<ItemStatus> again = provisioner().reconcile();
        assertEquals(writes, fake.writes(), "no POST or DELETE");
        assertEquals(Map.of("present", (long) again.size()), byState(again));
    }

    @Test
    void five_restarts_and_a_run_that_failed_half_way_leave_each_piece_exactly_once() {
        var half = console.wireMock().stubFor(post(urlPathEqualTo("/api/data_classification/dsm_event_mappings")).atPriority(1)
                .willReturn(aResponse().withStatus(503)));
        assertThrows(QradarException.class, () -> provisioner().reconcile(), "QID records made, mappings refused");
        assertEquals(QIDS + 1, rows(ContentProvisioner.QID_RECORDS));
        console.wireMock().removeStub(half);

        for (int restart = 0; restart < 5; restart++) {
            provisioner().reconcile();
        }
        assertExactlyOnce();
    }

    @Test
    void qid_records_are_found_again_without_the_ledger_through_our_mappings_and_names() throws Exception {
        provisioner().reconcile();
        Files.delete(tmp.resolve("store").resolve(ContentLedger.FILE)); // e.g. a crash before the ledger write
        long writes = fake.writes();
        provisioner().reconcile();
        assertEquals(writes, fake.writes());
        assertExactlyOnce();
    }

    @Test
    void content_an_admin_made_is_adopted_not_duplicated_and_their_set_is_not_seeded() {
        fake.adminCreates(ContentProvisioner.PROPERTIES, "name", "File system", "property_type", "string");
        fake.adminCreatesReferenceSet("Confidential-Files", "ALN", "board-minutes.docx");

        List<ItemStatus> report = provisioner().reconcile();

        assertEquals(PROPS, rows(ContentProvisioner.PROPERTIES));
        assertEquals(List.of("board-minutes.docx"), fake.setValues("Confidential-Files"));
        assertFalse(ContentLedger.load(store).find(ContentProvisioner.PROPERTY, "File system").orElseThrow().created());
        assertTrue(report.stream().noneMatch(i -> i.state().equals("drifted")),
                "QRadar answers STRING for the string the DSM asks for: the same type");
    }

    @Test
    void a_taken_name_answered_422_or_409_means_someone_else_made_it_and_it_is_adopted() {
        // log_source_types-POST answers 422/1001 for a taken name: the type appeared between our read and our write.
        console.wireMock().stubFor(post(urlPathEqualTo("/api" + ContentProvisioner.LOG_SOURCE_TYPES)).atPriority(1)
                .willReturn(aResponse().withStatus(422).withHeader("Content-Type", "application/json")
                        .withBody("{\"code\":1001,\"message\":\"The provided name is already in use.\"}")));
        ObjectNode theirs = fake.adminCreates("/config/event_sources/log_source_management/log_source_types");
        theirs.put("name", "x"); // not ours yet: the first read finds nothing
        // The admin makes the set between our read (which found none) and our create: the collections page
        // answers 409/10006, and the set found again is theirs.
        fake.adminCreatesReferenceSet("Authorized-Sales-Users", "NUM");
        console.wireMock().stubFor(get(urlPathEqualTo("/api/reference_data_collections/sets")).atPriority(1)
                .inScenario("race").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(200).withHeader("Content-Type", "application/json").withBody("[]"))
                .willSetStateTo("raced"));
        assertThrows(QradarException.class, () -> provisioner().reconcile(),
                "a 422 with nothing found again stays an error");
        theirs.put("name", DSM.logSourceTypeName());
        List<ItemStatus> report = provisioner().reconcile();

        assertFalse(ContentLedger.load(store).find(ContentProvisioner.LST, DSM.logSourceTypeName()).orElseThrow().created());
        assertTrue(report.stream().anyMatch(i -> i.kind().equals("reference-set") && i.state().equals("present")));
        assertEquals(1, fake.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals("/api/reference_data_collections/sets") && r.status() == 409).count(),
                "the create met the admin's set");
        assertTrue(report.stream().noneMatch(i -> i.kind().equals("reference-set-seed")
                        && i.name().equals("Authorized-Sales-Users")),
                "a set that appeared meanwhile is not ours to seed");
    }

    @Test
    void a_transient_5xx_is_retried_and_the_run_succeeds() {
        console.wireMock().stubFor(any(urlPathEqualTo("/api" + ContentProvisioner.LOG_SOURCE_TYPES))
                .atPriority(1).inScenario("flaky").whenScenarioStateIs(Scenario.STARTED)
                .willReturn(aResponse().withStatus(502)).willSetStateTo("recovered"));
        provisioner().reconcile();
        assertExactlyOnce();
    }

    @Test
    void a_401_fails_at_once_without_retrying() {
        QradarClient wrong = console.client("wrong");
        ContentProvisioner p = new ContentProvisioner(wrong, DSM, ReferenceSets.bundled(), ContentLedger.load(store));
        QradarException e = assertThrows(QradarException.class, p::reconcile);
        assertEquals(401, e.status());
        assertEquals(1, fake.requests().size());
    }

    @Test
    void the_newest_version_both_know_is_used_and_an_old_console_falls_back_within_the_floor() {
        fake.offersVersions("20.0", "21.0", "24.0");
        QradarClient client = console.service();
        new ContentProvisioner(client, DSM, ReferenceSets.bundled(), ContentLedger.load(store)).reconcile();
        assertEquals("24.0", client.apiVersion());
        assertExactlyOnce();
    }

    @Test
    void a_console_older_than_the_floor_is_refused_with_the_versions_it_offers() {
        fake.offersVersions("15.0", "16.0", "17.0");
        QradarException e = assertThrows(QradarException.class, () -> provisioner().reconcile());
        assertTrue(e.getMessage().contains("offers API versions 15.0, 16.0, 17.0"), e.getMessage());
        assertTrue(e.getMessage().contains("20.0 to 27.0"), e.getMessage());
    }

    @Test
    void an_expression_we_created_is_brought_back_in_line_but_an_admins_is_only_reported() {
        provisioner().reconcile();
        ObjectNode ours = fake.table(ContentProvisioner.JSON_EXPRESSIONS).get(0);
        ours.put("expression", "/\"tampered\"");
        ObjectNode theirs = fake.table(ContentProvisioner.JSON_EXPRESSIONS).get(1);
        theirs.put("expression", "/\"admins\"");
        ContentLedger ledger = ContentLedger.load(store);
        String secondName = DSM.customProperties().stream().filter(CustomProperty::isJson).skip(1).findFirst()
                .orElseThrow().name();
        LedgerEntry second = ledger.find(ContentProvisioner.JSON_EXPRESSION, secondName).orElseThrow();
        ledger.forget(second);
        ledger.record(new LedgerEntry(second.kind(), second.name(), second.id(), false));

        List<ItemStatus> report = provisioner().reconcile();

        assertTrue(ours.get("expression").asText().matches("/\"\\w+\""));
        assertFalse(ours.get("expression").asText().contains("tampered"));
        assertEquals("/\"admins\"", theirs.get("expression").asText());
        assertEquals(1, byState(report).get("updated"));
        assertEquals(1, byState(report).get("drifted"));
    }

    @Test
    void uninstall_removes_what_it_can_and_names_what_qradar_cannot_remove() {
        ObjectNode adminProperty = fake.adminCreates(ContentProvisioner.PROPERTIES, "name", "File system",
                "property_type", "string");
        fake.adminCreatesReferenceSet("Confidential-Files", "ALN", "board-minutes.docx");
        provisioner().reconcile();

        UninstallResult result = provisioner().uninstall();

        assertEquals(List.of(), result.failed());
        assertEquals(List.of(adminProperty), fake.table(ContentProvisioner.PROPERTIES), "the admin's property stays");
        assertTrue(fake.table(ContentProvisioner.EXPRESSIONS).isEmpty() && fake.table(ContentProvisioner.JSON_EXPRESSIONS)
                .stream().noneMatch(e -> e.path("username").asText().startsWith("API_token")));
        assertTrue(fake.hasSet("Confidential-Files"), "the admin's set stays");
        assertFalse(fake.hasSet("Authorized-Sales-Users"), "ours is gone once QRadar's delete task completed");
        assertEquals(QIDS + 1, rows(ContentProvisioner.QID_RECORDS), "QRadar has no API to delete QID records");
        assertEquals(QIDS, rows(ContentProvisioner.EVENT_MAPPINGS));
        assertEquals(2 * QIDS + 1, result.left().size());
        assertTrue(result.left().get(0).contains("no DELETE"), result.left().get(0));
        assertTrue(result.removed().stream().noneMatch(r -> r.startsWith("qid-record") || r.startsWith("dsm-event-mapping")),
                "never counted as removed");
        assertTrue(result.removed().contains("log-source-type " + DSM.logSourceTypeName()));
    }

    @Test
    void a_property_a_rule_still_uses_is_reported_as_not_removed() {
        provisioner().reconcile();
        fake.ruleUses("Filename");

        UninstallResult result = provisioner().uninstall();

        assertEquals(1, result.failed().size(), result.failed().toString());
        assertTrue(result.failed().get(0).startsWith("custom-property Filename: QRadar's task ended EXCEPTION"),
                result.failed().get(0));
        assertEquals(1, rows(ContentProvisioner.PROPERTIES));
        assertTrue(ContentLedger.load(store).find(ContentProvisioner.PROPERTY, "Filename").orElseThrow().created(),
                "still ours: a later uninstall tries again");
    }
}
