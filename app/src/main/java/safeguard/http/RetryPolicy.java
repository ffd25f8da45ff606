package safeguard.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and full jitter, for transient faults only: connection errors,
 * timeouts, 5xx and 429. A 4xx other than 429 is the caller's mistake and is never retried.
 */
public record RetryPolicy(int maxAttempts, Duration baseDelay, Duration maxDelay, Sleeper sleeper) {

    /** Pauses between attempts; tests pass one that records instead of sleeping. */
    @FunctionalInterface
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    public static final Sleeper REAL_SLEEP = d -> Thread.sleep(d.toMillis());

    public static RetryPolicy standard() {
        return new RetryPolicy(4, Duration.ofMillis(250), Duration.ofSeconds(4), REAL_SLEEP);
    }

    public static boolean isTransient(int status) {
        return status >= 500 || status == 429;
    }

    /** The pause before retry number {@code attempt} (1-based): random in [0, min(max, base * 2^(attempt-1))]. */
    public Duration delayBefore(int attempt) {
        long cap = Math.min(maxDelay.toMillis(), baseDelay.toMillis() << Math.min(attempt - 1, 20));
        return Duration.ofMillis(cap <= 0 ? 0 : ThreadLocalRandom.current().nextLong(cap + 1));
    }

    public void pause(int attempt) {
        try {
            sleeper.sleep(delayBefore(attempt));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
    }
}
