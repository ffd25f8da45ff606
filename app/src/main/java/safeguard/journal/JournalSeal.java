package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import safeguard.Json;

/**
 * What makes the journal's tamper evidence hold against someone who can edit its files: every line carries an
 * HMAC-SHA256 ({@code "mac"}, the last field) under a key kept beside the credentials key, never in the journal
 * folder, so a changed line cannot be given a valid MAC and is caught at that very line, even if the whole
 * {@code prev} chain is recomputed; and the head of the chain (last sequence number and line hash, MACed) is kept
 * in a file outside the journal folder after every write, so cutting lines off the end or deleting the last
 * segment is caught too.
 */
final class JournalSeal {
    static final String KEY_FILE = "journal.key";
    static final String HEAD_FILE = "journal-head.json";
    private static final HexFormat HEX = HexFormat.of();
    private static final Pattern MAC_TAIL = Pattern.compile(",\"mac\":\"([0-9a-f]{64})\"}$");

    /**
     * The sealed head: the last record's sequence number, the SHA-256 of its line, and how many damage entries
     * {@link DamageLog} holds (so deleting that file, or entries from it, is caught like cutting records).
     */
    record Head(long seq, String hash, int damage) {
    }

    private final SecretKeySpec key;
    private final Path headFile;

    private JournalSeal(byte[] key, Path headFile) {
        this.key = new SecretKeySpec(key, "HmacSHA256");
        this.headFile = headFile;
    }

    /** The key in {@code keyDir} (made at first use, owner-only); the head file beside it. */
    static JournalSeal open(Path keyDir) {
        Path file = keyDir.resolve(KEY_FILE);
        try {
            Files.createDirectories(keyDir);
            if (!Files.exists(file)) {
                byte[] k = new byte[32];
                new SecureRandom().nextBytes(k);
                Path tmp = Files.createTempFile(keyDir, KEY_FILE, ".tmp", safeguard.store.Permissions.ownerOnlyFile());
                Files.write(tmp, k);
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
                } catch (java.nio.file.FileAlreadyExistsException raced) {
                    Files.deleteIfExists(tmp);
                }
            }
            return new JournalSeal(Files.readAllBytes(file), keyDir.resolve(HEAD_FILE));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal key " + file, e);
        }
    }

    String mac(String text) {
        return mac(text.getBytes(StandardCharsets.UTF_8));
    }

    String mac(byte[] bytes) {
        try {
            Mac m = Mac.getInstance("HmacSHA256");
            m.init(key);
            return HEX.formatHex(m.doFinal(bytes));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The line with its MAC as the last field ({@code body} is the record serialised without one). */
    String seal(String body) {
        return body.substring(0, body.length() - 1) + ",\"mac\":\"" + mac(body) + "\"}";
    }

    /** True when the line carries a MAC and it is right; false when it carries a wrong one; null without one. */
    Boolean check(String line) {
        Matcher m = MAC_TAIL.matcher(line);
        if (!m.find()) {
            return null;
        }
        String body = line.substring(0, m.start()) + "}";
        return MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
                m.group(1).getBytes(StandardCharsets.US_ASCII));
    }

    /**
     * Writes {@code body} then its MAC on a last line, atomically (a crash leaves the old file or the new one), so
     * an edited copy is refused when read back.
     */
    void writeSealed(Path target, byte[] body) {
        Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.util.Set.of(java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.WRITE, java.nio.file.StandardOpenOption.TRUNCATE_EXISTING),
                safeguard.store.Permissions.ownerOnlyFile())) {
            for (java.nio.ByteBuffer out : new java.nio.ByteBuffer[] {java.nio.ByteBuffer.wrap(body),
                    java.nio.ByteBuffer.wrap(("\n" + mac(body)).getBytes(StandardCharsets.US_ASCII))}) {
                while (out.hasRemaining()) {
                    ch.write(out);
                }
            }
            ch.force(false);
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    /** The body of a file {@link #writeSealed} wrote, or null when it is missing, unreadable or its MAC is wrong. */
    byte[] readSealed(Path file) {
        try {
            byte[] all = Files.readAllBytes(file);
            int nl = all.length - 65;
            if (nl < 0 || all[nl] != '\n') {
                return null;
            }
            byte[] body = java.util.Arrays.copyOf(all, nl);
            return MessageDigest.isEqual(mac(body).getBytes(StandardCharsets.US_ASCII),
                    java.util.Arrays.copyOfRange(all, nl + 1, all.length)) ? body : null;
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Written after every durable batch; not fsynced (unless {@code durable}): after a power cut it may lag, never
     * lead, the journal.
     */
    void head(long seq, String hash, int damage, boolean durable) {
        String text = "{\"seq\":" + seq + ",\"hash\":\"" + hash + "\"" + (damage > 0 ? ",\"damage\":" + damage : "")
                + ",\"mac\":\"" + mac(headText(seq, hash, damage)) + "\"}";
        Path tmp = headFile.resolveSibling(HEAD_FILE + ".tmp");
        try (java.nio.channels.FileChannel ch = java.nio.channels.FileChannel.open(tmp, java.util.Set.of(
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.WRITE,
                java.nio.file.StandardOpenOption.TRUNCATE_EXISTING), safeguard.store.Permissions.ownerOnlyFile())) {
            java.nio.ByteBuffer out = java.nio.ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
            while (out.hasRemaining()) {
                ch.write(out);
            }
            if (durable) {
                ch.force(false);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + headFile, e);
        }
        try {
            Files.move(tmp, headFile, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + headFile, e);
        }
    }

    /** Without damage entries the MAC covers what heads always did, so heads written before stay valid. */
    private static String headText(long seq, String hash, int damage) {
        return damage > 0 ? seq + "|" + hash + "|" + damage : seq + "|" + hash;
    }

    /** The sealed head, null when none was ever written; throws when the file was altered. */
    Head head() {
        try {
            if (!Files.exists(headFile)) {
                return null;
            }
            JsonNode n = Json.mapper().readTree(Files.readAllBytes(headFile));
            long seq = n.path("seq").asLong();
            String hash = n.path("hash").asText();
            int damage = n.path("damage").asInt(0);
            if (!MessageDigest.isEqual(mac(headText(seq, hash, damage)).getBytes(StandardCharsets.US_ASCII),
                    n.path("mac").asText().getBytes(StandardCharsets.US_ASCII))) {
                throw new IllegalStateException(HEAD_FILE + " does not carry a valid MAC: it was altered");
            }
            return new Head(seq, hash, damage);
        } catch (IOException e) {
            throw new IllegalStateException(HEAD_FILE + " cannot be read: " + e.getMessage());
        }
    }
}
