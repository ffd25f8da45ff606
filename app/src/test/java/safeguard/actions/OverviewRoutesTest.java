package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestCerts;

/** GET /api/overview: per target protected / not / unknown, the copy that says so, the day's actions, the journal. */
class OverviewRoutesTest {
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

    private JsonNode overview() throws Exception {
        var r = a.http.get("/api/overview");
        assertEquals(200, r.statusCode(), r.body());
        return Json.mapper().readTree(r.body());
    }

    private static JsonNode target(JsonNode overview, String name) {
        return StreamSupport.stream(overview.get("targets").spliterator(), false)
                .filter(t -> t.get("name").asText().equals(name)).findFirst().orElseThrow();
    }

    @Test
    void a_protected_snapshot_makes_its_target_protected_until_the_copy_expires_and_is_counted_in_the_current_hour() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        String id = Json.mapper().readTree(a.act(ActionRoutesTest.snapshot(null, null), a.token).body()).get("id").asText();
        a.awaitAction(id, d -> d.at("/action/status").asText().equals("protected"));
        // Coalesced into the first: counted as activity, says nothing new about protection.
        a.act(ActionRoutesTest.snapshot(null, null), a.token);

        JsonNode o = overview();
        JsonNode t = target(o, "scale1");
        assertEquals("protected", t.get("state").asText(), t.toString());
        JsonNode copy = t.get("lastVerifiedCopy");
        assertEquals(id, copy.get("actionId").asText());
        assertTrue(copy.get("name").asText().startsWith("sgc-sales-"), copy.toString());
        assertTrue(Instant.parse(copy.get("expiresAt").asText()).isAfter(Instant.now().plusSeconds(167 * 3600)), copy.toString());
        assertFalse(copy.get("expired").asBoolean());
        assertEquals(2, t.at("/last24h/total").asInt());
        assertEquals(1, t.at("/last24h/byStatus/protected").asInt());
        assertEquals(1, t.at("/last24h/byStatus/coalesced").asInt());
        JsonNode perHour = t.at("/last24h/perHour");
        assertEquals(24, perHour.size());
        assertEquals(2, perHour.get(23).asInt(), "the newest bar is the current hour");
        assertEquals("coalesced", t.at("/lastAction/status").asText());
        assertTrue(o.at("/journal/intact").asBoolean());
        assertTrue(o.at("/journal/records").asLong() >= 4);
    }

    @Test
    void a_target_that_never_acted_is_unknown_and_one_whose_last_action_was_not_protected_is_not_protected() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        // A second Scale target whose GUI does not answer (nothing listens on port 9 here): its snapshot is not made.
        ObjectNode down = ActionApp.scaleTarget(9, cert, false).put("name", "scale-down");
        assertEquals(201, a.http.send("POST", "/api/targets", down.toString()).statusCode());
        JsonNode before = overview();
        assertEquals("unknown", target(before, "scale1").get("state").asText());
        assertEquals("no action has run on this target yet", target(before, "scale1").get("reason").asText());
        assertNull(target(before, "scale1").get("lastVerifiedCopy"));

        String body = ActionRoutesTest.snapshot(null, null).replace("\"scale1\"", "\"scale-down\"");
        String id = Json.mapper().readTree(a.act(body, a.token).body()).get("id").asText();
        a.awaitAction(id, d -> d.at("/action/status").asText().equals("not-protected"));
        JsonNode t = target(overview(), "scale-down");
        assertEquals("not-protected", t.get("state").asText(), t.toString());
        // The path is placed by reading Scale's filesets first: that read is what meets the refused connection.
        assertEquals("the last action failed: could not read the filesets of gpfs01 from Scale to place path "
                + "/ibm/gpfs01/sales/salaries-2022.csv: connection refused", t.get("reason").asText(), t.toString());
        assertEquals(1, t.at("/last24h/byStatus/not-protected").asInt());
    }

    @Test
    void a_scale_expiry_is_read_in_the_clusters_time_zone() {
        var t = new safeguard.targets.Target("scale", "s", "h", 443, "u", null, safeguard.targets.Tls.VERIFY, 10, 60,
                new safeguard.targets.ScaleSettings("fs", null, java.util.List.of(), "sgc", 168, null, "Europe/Berlin"),
                null, null, false);
        assertEquals(Instant.parse("2026-11-30T07:15:00Z"),
                safeguard.overview.Overview.expiry(t, java.util.Map.of("expirationTime", "2026-11-30-08:15")));
        assertEquals(Instant.parse("2026-11-30T07:15:00Z"),
                safeguard.overview.Overview.expiry(t, java.util.Map.of("expiresAt", "2026-11-30T07:15:00Z")));
        assertNull(safeguard.overview.Overview.expiry(t, java.util.Map.of("expirationTime", "soon")));
    }
}
