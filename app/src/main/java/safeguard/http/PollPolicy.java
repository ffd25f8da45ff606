package safeguard.http;

import java.time.Duration;

/**
 * How a long-running storage job is watched: the first pause, doubling up to {@code max}, for at most
 * {@code maxPolls} polls — so a job that never finishes is reported, never waited on forever.
 */
public record PollPolicy(Duration first, Duration max, int maxPolls, RetryPolicy.Sleeper sleeper) {

    public static PollPolicy of(Duration first, Duration max, Duration timeout) {
        int polls = 0;
        Duration waited = Duration.ZERO;
        Duration next = first;
        while (waited.compareTo(timeout) < 0) {
            waited = waited.plus(next);
            polls++;
            next = next.multipliedBy(2).compareTo(max) > 0 ? max : next.multipliedBy(2);
        }
        return new PollPolicy(first, max, Math.max(1, polls), RetryPolicy.REAL_SLEEP);
    }

    /** The pause before poll number {@code n} (1-based). */
    public Duration pauseBefore(int n) {
        long ms = first.toMillis() << Math.min(n - 1, 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    public void pause(int n) {
        try {
            sleeper.sleep(pauseBefore(n));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while polling", e);
        }
    }
}
