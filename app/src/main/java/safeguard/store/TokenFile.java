package safeguard.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.attribute.BasicFileAttributes;
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
    /** Which file {@link #stored} was read from: every rotation, in any process, writes a new one. */
    private Object version;

    /** {@code prefix} makes a leaked token recognisable to secret scanners ("sgr_", "sga_"). */
    public TokenFile(Store store, String file, String prefix, Clock clock) {
        this.store = store;
        this.file = file;
        this.prefix = prefix;
        this.clock = clock;
        current();
    }

    /**
     * The stored hash, read again when the file changed: the {@code admin-token} command rotates the token from
     * another process while the app runs, and the old token must stop working at once. One stat per check.
     */
    private synchronized Stored current() {
        Object now = version();
        if (version == null || !version.equals(now)) {
            try {
                Optional<byte[]> bytes = store.read(file);
                stored = bytes.isPresent() ? Json.mapper().readValue(bytes.get(), Stored.class) : null;
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read " + file, e);
            }
            version = now;
        }
        return stored;
    }

    /** The file's identity (inode) and modification time; a sentinel when it does not exist. */
    private Object version() {
        try {
            BasicFileAttributes a = Files.readAttributes(store.dir().resolve(file), BasicFileAttributes.class);
            return java.util.Arrays.asList(a.fileKey(), a.lastModifiedTime());
        } catch (NoSuchFileException e) {
            return "absent";
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file, e);
        }
    }

    public boolean exists() {
        return current() != null;
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
        version = version();
        return token;
    }

    public String createdAt() {
        Stored s = current();
        return s == null ? null : s.createdAt();
    }

    public boolean matches(String presented) {
        if (presented == null || presented.isBlank()) {
            return false;
        }
        Stored s = current();
        return s != null && MessageDigest.isEqual(hash(presented.trim()).getBytes(StandardCharsets.US_ASCII),
                s.sha256().getBytes(StandardCharsets.US_ASCII));
    }

    public static String hash(String token) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
