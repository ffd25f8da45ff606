package safeguard.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Whether a firing starts a new attempt or is folded into the action holding its target and scope. A window is
 * held only by an action whose copy may exist: accepted, running, or ended with a copy. A live firing after a
 * holder that ended without one (not protected, unknown) or only rehearsed (dry run) starts a new attempt at once,
 * within a budget: one attempt in flight per scope, and at most {@code attemptsPerHour} new attempts per hour
 * once the storage has failed there. Not thread-safe: the service's lock guards it.
 */
final class Admission {
    static final Set<String> IN_FLIGHT = Set.of("accepted", "running");
    static final Set<String> WITH_COPY = Set.of("protected", "protected-not-as-planned");
    private static final Duration HOUR = Duration.ofHours(1);

    /** Folded into {@code into} ({@code why} says why; null {@code into} = start a new attempt). */
    record Decision(ActionState into, String why) {
        static final Decision NEW = new Decision(null, null);
    }

    /** When each live attempt of a target/scope began, the last hour's only. */
    private final Map<String, ArrayDeque<Instant>> attempts = new HashMap<>();

    Decision decide(String key, ActionState holder, Instant now, Duration window, boolean dry, int perHour) {
        if (holder == null || holder.status.equals("refused")) {
            return Decision.NEW;
        }
        boolean inWindow = now.isBefore(holder.acceptedAt.plus(window));
        if (IN_FLIGHT.contains(holder.status) && !holder.dryRun) {
            return new Decision(holder, inWindow ? "action " + holder.id + " is " + holder.status + " for this scope, "
                    + "accepted at " + holder.acceptedAt + " inside the " + window.toSeconds() + " s window"
                    : "action " + holder.id + " is still " + holder.status + " for this scope (one attempt at a time)");
        }
        if (inWindow && WITH_COPY.contains(holder.status) && !holder.dryRun) {
            return new Decision(holder, "action " + holder.id + " made a copy (" + holder.status + ") at "
                    + holder.finishedAt + ", inside the " + window.toSeconds() + " s window");
        }
        if (dry && holder.dryRun && inWindow) {
            return new Decision(holder, "dry run " + holder.id + " rehearsed this scope at " + holder.acceptedAt
                    + ", inside the " + window.toSeconds() + " s window");
        }
        if (!dry && !holder.dryRun && !WITH_COPY.contains(holder.status)) {
            ArrayDeque<Instant> times = recent(key, now);
            if (times.size() >= perHour) {
                return new Decision(holder, "the storage failed here: " + times.size() + " attempts for this scope "
                        + "in the last hour (at most " + perHour + "; the next may start at " + times.peekFirst().plus(HOUR)
                        + "); the last, " + holder.id + ", ended " + holder.status);
            }
        }
        return Decision.NEW;
    }

    /** A live attempt began for {@code key} at {@code at}. */
    void started(String key, Instant at) {
        recent(key, at);
        attempts.computeIfAbsent(key, k -> new ArrayDeque<>()).addLast(at);
    }

    private ArrayDeque<Instant> recent(String key, Instant now) {
        ArrayDeque<Instant> times = attempts.computeIfAbsent(key, k -> new ArrayDeque<>());
        while (!times.isEmpty() && !times.peekFirst().plus(HOUR).isAfter(now)) {
            times.pollFirst();
        }
        if (times.isEmpty()) {
            attempts.remove(key);
        }
        return times;
    }
}
