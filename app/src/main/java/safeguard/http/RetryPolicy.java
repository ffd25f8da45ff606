package safeguard.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retries with exponential backoff and full jitter, for transient faults only: connection errors,
 * timeouts, 5xx and 429. A 4xx other than 429 is the caller's mistake and is never retried, nor are 501 (the
 * server does not implement the method) and 505 (nor the HTTP version): asking again cannot heal those
 * (RFC 9110 §15.6.2, §15.6.6). A {@code Retry-After} on 429 or 503 is honoured (RFC 9110 §10.2.3) up to
 * {@link #MAX_RETRY_AFTER}; a longer one is not waited for.
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
        return (status >= 500 && status != 501 && status != 505) || status == 429;
    }

    /** The longest Retry-After a request waits for: a target's queue must not stall behind one answer. */
    public static final Duration MAX_RETRY_AFTER = Duration.ofSeconds(30);

    /**
     * The pause a {@code Retry-After} value asks for (delay-seconds or an HTTP-date), or null when there is none
     * or it cannot be read.
     */
    public static Duration retryAfter(String value, java.time.Instant now) {
        if (value == null || value.isBlank()) {
            return null;
        }
        String v = value.trim();
        try {
            if (v.chars().allMatch(Character::isDigit)) {
                return Duration.ofSeconds(Long.parseLong(v));
            }
            java.time.Instant at = java.time.ZonedDateTime.parse(v, java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME).toInstant();
            return at.isAfter(now) ? Duration.between(now, at) : Duration.ZERO;
        } catch (RuntimeException e) {
            return null;
        }
    }

    /** Waits the pause the server asked for. */
    public void pauseFor(Duration d) {
        try {
            sleeper.sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting to retry", e);
        }
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
