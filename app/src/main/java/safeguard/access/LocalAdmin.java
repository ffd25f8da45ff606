package safeguard.access;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import safeguard.UnauthorizedException;
import safeguard.store.Store;
import safeguard.store.TokenFile;

/**
 * Outside QRadar there is no console to vouch for anyone: one admin token, made at first start and printed once
 * (store/admin-token.json keeps its hash). The browser trades it for a session cookie; scripts send it as a
 * bearer token.
 */
public final class LocalAdmin implements Authenticator {
    static final String FILE = "admin-token.json";
    public static final Duration SESSION_LIFETIME = Duration.ofHours(12);
    static final int MAX_SESSIONS = 64;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final TokenFile token;
    private final Clock clock;
    /** A signed-in browser: valid until it expires or the token it was signed in with is replaced. */
    private record Session(Instant expiry, String tokenCreatedAt) {
    }

    /** Session id hash → session; ids themselves live only in the browser's cookie. */
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();

    public LocalAdmin(Store store, Clock clock) {
        this.token = new TokenFile(store, FILE, "sga_", clock);
        this.clock = clock;
    }

    /** The token to print when this is the first start; empty when one exists already. */
    public synchronized Optional<String> firstStart() {
        return token.exists() ? Optional.empty() : Optional.of(token.rotate());
    }

    /** A new admin token; sessions signed in with the old one end (here or in the app running on this store). */
    public synchronized String rotate() {
        return token.rotate();
    }

    /** Trades the admin token for a session id (the cookie's value). */
    public String signIn(String presented) {
        if (!token.matches(presented)) {
            throw new UnauthorizedException("wrong admin token");
        }
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String id = Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Instant now = clock.instant();
        String tokenCreatedAt = token.createdAt();
        sessions.values().removeIf(s -> !s.expiry().isAfter(now) || !s.tokenCreatedAt().equals(tokenCreatedAt));
        if (sessions.size() >= MAX_SESSIONS) {
            sessions.entrySet().stream().min(java.util.Comparator.comparing(e -> e.getValue().expiry()))
                    .ifPresent(oldest -> sessions.remove(oldest.getKey()));
        }
        sessions.put(TokenFile.hash(id), new Session(now.plus(SESSION_LIFETIME), tokenCreatedAt));
        return id;
    }

    public void signOut(String session) {
        if (session != null) {
            sessions.remove(TokenFile.hash(session));
        }
    }

    @Override
    public Caller identify(Credentials c) {
        if (c.bearer() != null) {
            if (token.matches(c.bearer())) {
                return new Caller("local-admin", true, mode(), false);
            }
            throw new UnauthorizedException("wrong admin token");
        }
        if (c.session() != null) {
            Session s = sessions.get(TokenFile.hash(c.session()));
            if (s != null && s.expiry().isAfter(clock.instant()) && s.tokenCreatedAt().equals(token.createdAt())) {
                return new Caller("local-admin", true, mode(), true);
            }
        }
        throw new UnauthorizedException("sign in with the admin token printed at first start", "Session");
    }

    @Override
    public String mode() {
        return "local";
    }
}
