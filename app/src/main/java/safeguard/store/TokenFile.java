package safeguard.store;

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

/**
 * A bearer token of which only the SHA-256 is kept (one small JSON file in the store). The token itself exists
 * once, when made, to be shown to a person; presented tokens are compared in constant time.
 */
public final class TokenFile {
    private static final SecureRandom RANDOM = new SecureRandom();

    record Stored(String sha256, String createdAt) {
    }

    private final Store store;
    private final String file;
    private final String prefix;
    private final Clock clock;
    private Stored stored;

    /** {@code prefix} makes a leaked token recognisable to secret scanners ("sgr_", "sga_"). */
    public TokenFile(Store store, String file, String prefix, Clock clock) {
        this.store = store;
        this.file = file;
        this.prefix = prefix;
        this.clock = clock;
        this.stored = load();
    }

    private Stored load() {
        try {
            Optional<byte[]> bytes = store.read(file);
            return bytes.isPresent() ? Json.mapper().readValue(bytes.get(), Stored.class) : null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public synchronized boolean exists() {
        return stored != null;
    }

    /** A new token replaces the old one at once; the caller shows it to a person, once. */
    public synchronized String rotate() {
        byte[] raw = new byte[32];
        RANDOM.nextBytes(raw);
        String token = prefix + Base64.getUrlEncoder().withoutPadding().encodeToString(raw);
        Stored next = new Stored(hash(token), clock.instant().toString());
        try {
            store.writeAtomically(file, Json.mapper().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
        stored = next;
        return token;
    }

    public synchronized String createdAt() {
        return stored == null ? null : stored.createdAt();
    }

    /**
     * A miss reads the file again before saying no: another process (the {@code admin-token} command) may have
     * rotated the token while this one runs.
     */
    public boolean matches(String presented) {
        if (presented == null || presented.isBlank()) {
            return false;
        }
        byte[] given = hash(presented.trim()).getBytes(StandardCharsets.US_ASCII);
        if (same(given, current())) {
            return true;
        }
        Stored fresh = load();
        synchronized (this) {
            stored = fresh;
        }
        return same(given, fresh);
    }

    private synchronized Stored current() {
        return stored;
    }

    private static boolean same(byte[] given, Stored s) {
        return s != null && MessageDigest.isEqual(given, s.sha256().getBytes(StandardCharsets.US_ASCII));
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
