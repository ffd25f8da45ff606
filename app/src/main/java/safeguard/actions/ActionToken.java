package safeguard.actions;

import java.time.Clock;
import java.util.Optional;
import safeguard.UnauthorizedException;
import safeguard.store.Store;
import safeguard.store.TokenFile;

/**
 * The per-install token custom actions present as {@code Authorization: Bearer} (store/action-token.json holds its
 * hash). The one made at first start waits, in memory only, for an admin to reveal it once.
 */
public final class ActionToken {
    static final String FILE = "action-token.json";

    private final TokenFile file;
    private String unrevealed;

    public ActionToken(Store store, Clock clock) {
        file = new TokenFile(store, FILE, "sgr_", clock);
        if (!file.exists()) {
            unrevealed = file.rotate();
        }
    }

    /** A new token replaces the old one at once; the caller shows it to the admin, once. */
    public synchronized String rotate() {
        unrevealed = null;
        return file.rotate();
    }

    /** The token made at first start, handed out exactly once; empty afterwards (rotate to get a new one). */
    public synchronized Optional<String> revealInitial() {
        Optional<String> t = Optional.ofNullable(unrevealed);
        unrevealed = null;
        return t;
    }

    public synchronized boolean initialUnrevealed() {
        return unrevealed != null;
    }

    public String createdAt() {
        return file.createdAt();
    }

    /** Checks an Authorization header value; throws {@link UnauthorizedException} saying what was wrong. */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("missing action token (Authorization: Bearer …)");
        }
        if (!file.matches(authorization.substring(7))) {
            throw new UnauthorizedException("wrong action token");
        }
    }
}
