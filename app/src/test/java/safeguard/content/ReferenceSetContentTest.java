package safeguard.content;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
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
import safeguard.refsets.ReferenceSetService;
import safeguard.store.Store;

/**
 * The reference sets of reference-sets/ on QRadar's current API: made through the collections endpoints, once over
 * four starts, adopted when an earlier version made them through the legacy ones, removed through the collections
 * API; a console before API 16.0 keeps the legacy path because of the version it offers, not by trying.
 */
class ReferenceSetContentTest {
    static final List<String> SETS = ReferenceSets.bundled().stream().map(s -> s.name()).toList();

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

    ContentProvisioner provisioner(QradarClient client) {
        return new ContentProvisioner(client, Dsm.bundled(), ReferenceSets.bundled(), ContentLedger.load(store));
    }

    private long legacyCalls() {
        return fake.requests().stream().filter(r -> r.path().startsWith("/api/reference_data/")).count();
    }

    @Test
    void four_starts_make_each_set_once_through_the_collections_api_and_a_restart_writes_nothing() {
        provisioner(console.service()).reconcile();
        long afterFirst = fake.writes();
        for (int start = 2; start <= 4; start++) {
            provisioner(console.service()).reconcile();
        }
        assertEquals(afterFirst, fake.writes(), "starts 2 to 4 only read");
        for (String name : SETS) {
            assertTrue(fake.hasSet(name), name);
            assertEquals("NO_EXPIRY", fake.referenceSet(name).get("expiry_type").asText());
            assertEquals("SHARED", fake.referenceSet(name).get("namespace").asText());
        }
        assertEquals(List.of("2001", "2002"), fake.setValues("Authorized-Sales-Users"), "seeded once");
        assertEquals(2, fake.requests().stream().filter(r -> r.method().equals("POST")
                && r.path().equals("/api/reference_data_collections/sets")).count(), "each set created once");
        assertEquals(0, legacyCalls(), "no deprecated endpoint");
        LedgerEntry users = ContentLedger.load(store).find(ContentProvisioner.SET, "Authorized-Sales-Users").orElseThrow();
        assertEquals(fake.referenceSet("Authorized-Sales-Users").get("id").asText(), users.id(), "the ledger keeps the id");
        assertTrue(users.created());
    }

    @Test
    void sets_an_earlier_version_made_through_the_legacy_endpoints_are_adopted_and_removed_at_uninstall() throws Exception {
        // What the previous version left: both sets made and seeded through /reference_data/sets, its ledger by name.
        for (String name : SETS) {
            fake.adminCreatesReferenceSet(name, name.equals("Authorized-Sales-Users") ? "NUM" : "ALN", "seeded-earlier");
        }
        store.writeAtomically(ContentLedger.FILE, Json.mapper().writeValueAsBytes(List.of(
                new LedgerEntry(ContentProvisioner.SET, "Authorized-Sales-Users", "Authorized-Sales-Users", true),
                new LedgerEntry(ContentProvisioner.SEED, "Authorized-Sales-Users", "Authorized-Sales-Users", true),
                new LedgerEntry(ContentProvisioner.SET, "Confidential-Files", "Confidential-Files", true),
                new LedgerEntry(ContentProvisioner.SEED, "Confidential-Files", "Confidential-Files", true))));
        fake.takeViolations(); // "seeded-earlier" is no NUM: the old version's business, not this test's

        List<ItemStatus> report = provisioner(console.service()).reconcile();
        assertTrue(report.stream().filter(i -> i.kind().equals(ContentProvisioner.SET))
                .allMatch(i -> i.state().equals("present")), report.toString());
        assertEquals(0, fake.requests().stream().filter(r -> r.path().startsWith("/api/reference_data_collections/set")
                && !r.method().equals("GET")).count(), "nothing made again, nothing seeded again");
        LedgerEntry adopted = ContentLedger.load(store).find(ContentProvisioner.SET, "Confidential-Files").orElseThrow();
        assertEquals(fake.referenceSet("Confidential-Files").get("id").asText(), adopted.id());
        assertTrue(adopted.created(), "still the app's own, so the uninstall hook removes it");

        UninstallResult result = provisioner(console.service()).uninstall();
        assertEquals(List.of(), result.failed());
        for (String name : SETS) {
            assertFalse(fake.hasSet(name), name + " removed");
        }
        assertTrue(fake.requests().stream().anyMatch(r -> r.method().equals("DELETE")
                && r.path().matches("/api/reference_data_collections/sets/\\d+")));
        assertTrue(fake.requests().stream().anyMatch(r -> r.path().startsWith("/api/reference_data_collections/set_delete_tasks/")));
        assertEquals(0, legacyCalls());
    }

    @Test
    void api_27_is_used_when_the_console_offers_it() {
        fake.offersVersions("24.0", "25.0", "26.0", "27.0");
        QradarClient client = console.service();
        provisioner(client).reconcile();
        assertEquals("27.0", client.apiVersion());
        assertTrue(fake.requests().stream().filter(r -> r.path().startsWith("/api/reference_data_collections/"))
                .allMatch(r -> "27.0".equals(r.version())));
    }

    @Test
    void a_console_before_16_keeps_the_legacy_endpoints_chosen_by_its_version_without_trial_calls() throws Exception {
        fake.offersVersions("14.0", "15.0");
        fake.adminCreatesReferenceSet("Authorized-Sales-Users", "NUM", "2001");
        QradarClient client = console.service();
        ReferenceSetService sets = ReferenceSetService.of(ReferenceSets.bundled(), true, client, store, Clock.systemUTC());
        assertEquals(List.of("2001"), sets.page("Authorized-Sales-Users", 0, 100).elements().stream()
                .map(e -> e.value()).toList());
        assertEquals(1, sets.add("Authorized-Sales-Users", List.of("2050", "2001"), "analyst").added());
        sets.remove("Authorized-Sales-Users", "2001");
        assertEquals(List.of("2050"), fake.setValues("Authorized-Sales-Users"));
        assertEquals("15.0", client.apiVersion());
        assertTrue(fake.requests().stream().noneMatch(r -> r.path().startsWith("/api/reference_data_collections")),
                "no collections call, not even one to find out");
        assertTrue(fake.requests().stream().allMatch(r -> r.status() < 400), fake.requests().toString());
        assertTrue(fake.requests().stream().anyMatch(r -> r.path().equals("/api/reference_data/sets/bulk_load/Authorized-Sales-Users")),
                "the bulk load of API 15.0 (the namespaced one came with 17.0)");

        QradarException refused = assertThrows(QradarException.class, () -> provisioner(client).reconcile());
        assertTrue(refused.getMessage().contains("offers API versions 14.0, 15.0; the app needs one of 20.0"),
                refused.getMessage());
    }
}
