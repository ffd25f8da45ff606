package safeguard.http;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * Login sessions (CSM tokens, CDM session ids) kept per target between actions, so a burst of actions does not
 * log in once each. A session is dropped when it has been idle for {@code idle}, when the storage system
 * refuses it (401), and when the target's settings change (another {@code version}).
 */
public final class SessionCache {
    private record Held(String version, String token, Instant lastUsed) {
    }

    private final ConcurrentMap<String, Held> held = new ConcurrentHashMap<>();
    private final Duration idle;
    private final Clock clock;

    public SessionCache(Duration idle, Clock clock) {
        this.idle = idle;
        this.clock = clock;
    }

    /** The session slot of target {@code name} as currently configured ({@code version} changes with its settings). */
    public Slot slot(String name, String version) {
        return new Slot(name, version);
    }

    /** Forgets target {@code name}'s session (the target changed or was deleted). */
    public void forget(String name) {
        held.remove(name);
    }

    /** A slot of its own, shared with no other conversation: a connection test logs in for itself. */
    public static Slot unshared() {
        return new SessionCache(Duration.ofHours(1), Clock.systemUTC()).slot("", "");
    }

    public final class Slot {
        private final String name;
        private final String version;

        private Slot(String name, String version) {
            this.name = name;
            this.version = version;
        }

        public Optional<String> token() {
            Held h = held.get(name);
            Instant now = clock.instant();
            if (h == null || !h.version().equals(version) || !now.isBefore(h.lastUsed().plus(idle))) {
                return Optional.empty();
            }
            held.replace(name, h, new Held(version, h.token(), now));
            return Optional.of(h.token());
        }

        public void keep(String token) {
            held.put(name, new Held(version, token, clock.instant()));
        }

        /** Forgets {@code token}, unless another conversation has replaced it already. */
        public void drop(String token) {
            held.computeIfPresent(name, (k, h) -> h.token().equals(token) ? null : h);
        }
    }
}
