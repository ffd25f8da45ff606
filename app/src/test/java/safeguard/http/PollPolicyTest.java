package safeguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class PollPolicyTest {
    final List<Duration> pauses = new ArrayList<>();

    @Test
    void the_first_check_comes_at_once_then_pauses_grow_with_jitter_up_to_the_bound_and_no_further() {
        PollPolicy p = PollPolicy.of(Duration.ofSeconds(1), Duration.ofSeconds(16), Duration.ofSeconds(60), pauses::add);
        PollPolicy.Watch w = p.watch();
        assertTrue(w.next());
        assertEquals(List.of(), pauses, "no pause before the first check");
        int checks = 1;
        while (w.next()) {
            checks++;
        }
        assertEquals(Duration.ofSeconds(60), pauses.stream().reduce(Duration.ZERO, Duration::plus),
                "the last check is made at the bound");
        assertEquals(checks - 1, pauses.size());
        for (int i = 0; i < pauses.size() - 1; i++) {
            long planned = p.pauseAfter(i + 1).toMillis();
            long ms = pauses.get(i).toMillis();
            assertTrue(ms >= planned * 0.8 && ms <= planned * 1.2, "pause " + i + ": " + ms + " ms for " + planned);
        }
        assertEquals(16_000, p.pauseAfter(10).toMillis(), "doubling stops at the maximum");
        assertFalse(w.next(), "spent");
    }

    @Test
    void a_fixed_interval_is_jittered_so_actions_do_not_poll_in_step() {
        PollPolicy p = PollPolicy.of(Duration.ofSeconds(10), Duration.ofSeconds(10), Duration.ofSeconds(600), pauses::add);
        PollPolicy.Watch w = p.watch();
        for (int i = 0; i < 20; i++) {
            w.next();
        }
        assertTrue(pauses.stream().distinct().count() > 1, "not all the same: " + pauses);
    }
}
