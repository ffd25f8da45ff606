package safeguard.http;

import java.time.Duration;
import java.util.concurrent.ThreadLocalRandom;

/**
 * How a storage job is watched until it is confirmed: the first check at once (a job may be done already),
 * then pauses from {@code interval} doubling up to {@code max}, each with ±{@code jitter} so many actions do not
 * poll in step, until {@code bound} is spent — then the caller says "could not confirm" instead of blocking the
 * target's queue. The bound counts real time, or the pauses when a test's sleeper does not sleep.
 */
public record PollPolicy(Duration interval, Duration max, Duration bound, double jitter, RetryPolicy.Sleeper sleeper) {
    public static final double JITTER = 0.2;

    public static PollPolicy of(Duration interval, Duration max, Duration bound, RetryPolicy.Sleeper sleeper) {
        return new PollPolicy(interval, max.compareTo(interval) < 0 ? interval : max, bound, JITTER, sleeper);
    }

    /** The pause before check number {@code n + 1} (n ≥ 1 checks done), jitter not applied. */
    public Duration pauseAfter(int n) {
        long ms = interval.toMillis() << Math.min(n - 1, 20);
        return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }

    public Watch watch() {
        return new Watch();
    }

    /** One confirmation: call {@link #next} before every check; it says whether there is time for one. */
    public final class Watch {
        private final long started = System.nanoTime();
        private int checks;
        private Duration paused = Duration.ZERO;

        /**
         * True when another check may run now: the first at once, later ones after a pause (never past the
         * bound: the last check is made at the bound). False once the bound is spent.
         */
        public boolean next() {
            if (checks == 0) {
                checks++;
                return true;
            }
            Duration left = bound.minus(spent());
            if (left.isNegative() || left.isZero()) {
                return false;
            }
            Duration p = jittered(pauseAfter(checks));
            if (p.compareTo(left) > 0) {
                p = left;
            }
            try {
                sleeper.sleep(p);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting to confirm", e);
            }
            paused = paused.plus(p);
            checks++;
            return true;
        }

        public int checks() {
            return checks;
        }

        /** How long this confirmation has taken so far. */
        public Duration spent() {
            Duration real = Duration.ofNanos(System.nanoTime() - started);
            return real.compareTo(paused) > 0 ? real : paused;
        }
    }

    private Duration jittered(Duration d) {
        if (jitter <= 0) {
            return d;
        }
        double f = 1 + (ThreadLocalRandom.current().nextDouble() * 2 - 1) * jitter;
        return Duration.ofMillis(Math.max(1, Math.round(d.toMillis() * f)));
    }
}
