package safeguard.actions;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Optional;
import safeguard.Json;
import safeguard.store.Store;

/**
 * The per-install token custom actions present as {@code Authorization: Bearer}. Only its SHA-256 is stored
 * (store/action-token.json); the token itself exists once, when made, to be shown to an admin, and is compared in
 * constant time.
 */
public final class ActionToken {
    static final String FILE = "action-token.json";
    private static final SecureRandom RANDOM = new SecureRandom();

    record Stored(String sha256, String createdAt) {
    }

    private final Store store;
    private final Clock clock;
    private Stored stored;
    private String unrevealed;

    public ActionToken(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
        try {
            Optional<byte[]> bytes = store.read(FILE);
            if (bytes.isPresent()) {
                stored = Json.mapper().readValue(bytes.get(), Stored.class);
            } else {
                unrevealed = rotate();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** A new token replaces the old one at once; the caller shows it to the admin, once. */
    public synchronized String rotate() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = "sgr_" + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Stored next = new Stored(hash(token), clock.instant().toString());
        try {
            store.writeAtomically(FILE, Json.mapper().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        stored = next;
        unrevealed = null;
        return token;
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

    public synchronized String createdAt() {
        return stored.createdAt();
    }

    /** Checks an Authorization header value; throws {@link UnauthorizedException} saying what was wrong. */
    public void check(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            throw new UnauthorizedException("missing action token (Authorization: Bearer …)");
        }
        byte[] presented = hash(authorization.substring(7).trim()).getBytes(StandardCharsets.US_ASCII);
        byte[] expected;
        synchronized (this) {
            expected = stored.sha256().getBytes(StandardCharsets.US_ASCII);
        }
        if (!MessageDigest.isEqual(presented, expected)) {
            throw new UnauthorizedException("wrong action token");
        }
    }

    static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
