package safeguard.access;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import safeguard.MutableClock;

class RefusalsTest {
    final MutableClock clock = new MutableClock(Instant.parse("2026-11-24T10:00:00Z"));
    final List<ObjectNode> written = new ArrayList<>();
    final Refusals refusals = new Refusals(clock, written::add);

    @Test
    void a_flood_from_one_client_is_one_record_at_once_then_one_summary_a_minute_later() {
        for (int i = 0; i < 500; i++) {
            refusals.refused("10.1.2.3", Refusals.Kind.TOKEN, i % 5 == 0 ? "wrong admin token" : "wrong action token");
            clock.advance(Duration.ofMillis(100));
        }
        assertEquals(1, written.size(), "the first refusal is written at once, the rest wait for their minute");
        assertEquals(1, written.get(0).get("count").asInt());
        refusals.flushDue();
        assertEquals(1, written.size(), "still within the minute");

        clock.advance(Duration.ofSeconds(11));
        refusals.flushDue();
        assertEquals(2, written.size());
        ObjectNode summary = written.get(1);
        assertEquals("10.1.2.3", summary.get("remote").asText());
        assertEquals(499, summary.get("count").asInt());
        assertEquals(400, summary.at("/reasons/wrong action token").asInt());
        assertEquals(99, summary.at("/reasons/wrong admin token").asInt(), "the first was written already");
        assertEquals("wrong action token", summary.get("reason").asText());

        clock.advance(Duration.ofMinutes(5));
        refusals.flushDue();
        assertEquals(2, written.size(), "nothing new, nothing written");
        assertEquals(0, refusals.tracked(), "a quiet client is forgotten");
    }

    @Test
    void each_client_has_its_own_budget_and_is_told_how_long_to_wait() {
        for (int i = 0; i < Refusals.SIGN_IN_BUDGET - 1; i++) {
            refusals.refused("a", Refusals.Kind.SIGN_IN, "wrong admin token");
        }
        assertEquals(0, refusals.waitSeconds("a", Refusals.Kind.SIGN_IN, Refusals.SIGN_IN_BUDGET));
        clock.advance(Duration.ofSeconds(20));
        refusals.refused("a", Refusals.Kind.SIGN_IN, "wrong admin token");
        assertEquals(40, refusals.waitSeconds("a", Refusals.Kind.SIGN_IN, Refusals.SIGN_IN_BUDGET));
        assertEquals(0, refusals.waitSeconds("a", Refusals.Kind.TOKEN, Refusals.TOKEN_BUDGET), "another kind");
        assertEquals(0, refusals.waitSeconds("b", Refusals.Kind.SIGN_IN, Refusals.SIGN_IN_BUDGET), "another client");
        clock.advance(Duration.ofSeconds(40));
        assertEquals(0, refusals.waitSeconds("a", Refusals.Kind.SIGN_IN, Refusals.SIGN_IN_BUDGET), "a new minute");
    }

    @Test
    void a_new_address_per_refusal_still_writes_one_record_a_minute_naming_the_busiest_clients() {
        for (int i = 0; i < 5_000; i++) {
            refusals.refused("203.0." + (i / 250) + "." + (i % 250), Refusals.Kind.TOKEN, "wrong action token");
            refusals.refused("10.1.2.3", Refusals.Kind.TOKEN, "wrong action token");
            clock.advance(Duration.ofMillis(10));
        }
        assertEquals(1, written.size(), "50 s of refusals from 5,001 addresses: the first record only");
        clock.advance(Duration.ofSeconds(10));
        refusals.flushDue();
        assertEquals(2, written.size(), "then one summary for all of them");
        ObjectNode summary = written.get(1);
        assertEquals(9_999, summary.get("count").asInt());
        assertEquals("10.1.2.3", summary.get("remote").asText(), "the busiest client");
        assertEquals(Refusals.NAMED_CLIENTS, summary.get("clients").size());
        assertEquals(5_000, summary.at("/clients/10.1.2.3").asInt(), "the first record was another address");
        int named = 0;
        for (var n : summary.get("clients")) {
            named += n.asInt();
        }
        assertEquals(9_999, named + summary.path("otherClients").asInt(), "no count lost");
        assertTrue(refusals.tracked() <= Refusals.MAX_CLIENTS);
    }

    @Test
    void many_clients_keep_memory_bounded_and_lose_no_count() {
        int clients = Refusals.MAX_CLIENTS + 50;
        for (int i = 0; i < clients; i++) {
            refusals.refused("10.0." + (i / 250) + "." + (i % 250), Refusals.Kind.TOKEN, "wrong action token");
            refusals.refused("10.0." + (i / 250) + "." + (i % 250), Refusals.Kind.TOKEN, "wrong action token");
        }
        assertTrue(refusals.tracked() <= Refusals.MAX_CLIENTS, "tracked " + refusals.tracked());
        refusals.flushAll();
        assertEquals(2 * clients, written.stream().mapToInt(s -> s.get("count").asInt()).sum());
    }
}
