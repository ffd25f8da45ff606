package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Instant;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.TestCerts;

/** GET /api/overview after a restore: a recovery is activity, not a statement about the target's protection. */
class OverviewRecoveryTest {
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

    @Test
    void a_restore_whose_outcome_is_unknown_leaves_the_target_protected_by_its_last_copy() throws Exception {
        a = new ActionApp(tmp, cert, 0, false);
        a.scale.file("/gpfs/gpfs01/sales/reports/q1.txt", "q1");
        a.scale.has("sales", "nightly", "2099-01-01-00:00", Instant.now().minusSeconds(3600));
        String incident = Json.mapper().readTree(a.act(ActionRoutesTest.snapshot(null, null), a.token).body()).get("id").asText();
        a.awaitAction(incident, d -> d.at("/action/status").asText().equals("protected"));

        // Scale stops answering about the copy job: the restore cannot be confirmed.
        a.scale.failNext("GET", "/scalemgmt/v2/jobs/.*", 500, 1000);
        var started = a.http.send("POST", "/api/recoveries", "{\"action\":\"" + incident + "\",\"snapshot\":\"nightly\","
                + "\"paths\":[\"/gpfs/gpfs01/sales/reports\"],\"confirm\":\"scale1\"}");
        assertEquals(202, started.statusCode(), started.body());
        String recovery = Json.mapper().readTree(started.body()).get("id").asText();
        a.awaitAction(recovery, d -> d.at("/action/status").asText().equals("unknown"));

        JsonNode o = Json.mapper().readTree(a.http.get("/api/overview").body());
        JsonNode t = StreamSupport.stream(o.get("targets").spliterator(), false)
                .filter(x -> x.get("name").asText().equals("scale1")).findFirst().orElseThrow();
        assertEquals("protected", t.get("state").asText(), t.toString());
        assertEquals(incident, t.at("/lastVerifiedCopy/actionId").asText());
        assertEquals(recovery, t.at("/lastAction/id").asText(), "still the newest activity");
        assertEquals(1, t.at("/last24h/byStatus/unknown").asInt(), t.toString());
    }
}
