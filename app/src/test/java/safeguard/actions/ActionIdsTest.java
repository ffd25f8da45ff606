package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActionIdsTest {
    @Test
    void a_hundred_thousand_ids_made_within_one_second_are_all_different_and_in_the_order_they_were_made() {
        ActionIds ids = new ActionIds();
        Instant second = Instant.parse("2026-11-24T10:15:03Z");
        List<String> made = new ArrayList<>(100_000);
        for (int i = 0; i < 100_000; i++) {
            // Ten thousand per millisecond over the first ten milliseconds of one second, as a burst would.
            made.add(ids.next(second.plusMillis(i / 10_000)));
        }
        assertEquals(100_000, new HashSet<>(made).size());
        for (int i = 1; i < made.size(); i++) {
            assertTrue(made.get(i - 1).compareTo(made.get(i)) < 0, made.get(i - 1) + " then " + made.get(i));
        }
    }

    @Test
    void every_id_still_carries_the_second_it_was_accepted_in() {
        String id = new ActionIds().next(Instant.parse("2026-11-24T10:15:03.042Z"));
        assertTrue(id.startsWith("a-20261124T101503Z-042-"), id);
        assertEquals(Instant.parse("2026-11-24T10:15:03Z"), ActionHistory.acceptedAt(id));
    }

    @Test
    void a_clock_that_steps_back_never_makes_an_id_that_sorts_before_an_earlier_one() {
        ActionIds ids = new ActionIds();
        String first = ids.next(Instant.parse("2026-11-24T10:15:03.500Z"));
        String second = ids.next(Instant.parse("2026-11-24T10:15:02Z"));
        assertTrue(first.compareTo(second) < 0, first + " then " + second);
    }
}
