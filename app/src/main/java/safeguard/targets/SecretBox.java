package safeguard.targets;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Encrypts credentials at rest with AES-256-GCM under a key kept in the store (owner-only). Each ciphertext is
 * bound to the target it belongs to (associated data), so one target's secret cannot be pasted onto another.
 */
public final class SecretBox {
    static final String KEY_FILE = "secret.key";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SecretBox(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** Loads the store's key, creating it (0600, never overwritten) at first use. */
    public static SecretBox open(Path storeDir) {
        Path file = storeDir.resolve(KEY_FILE);
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, Base64.getEncoder().encode(fresh));
                } catch (FileAlreadyExistsException raced) {
                    // another thread made it first: use theirs
                }
            }
            byte[] key = Base64.getDecoder().decode(Files.readAllBytes(file));
            if (key.length != 32) {
                throw new IllegalStateException(file + " is not a 256-bit key");
            }
            return new SecretBox(key);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the credentials key " + file, e);
        }
    }

    public String encrypt(String plaintext, String boundTo) {
        try {
            byte[] iv = new byte[12];
            RANDOM.nextBytes(iv);
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            byte[] ct = c.doFinal(plaintext.getBytes(StandardCharsets.UTF_8));
            byte[] out = new byte[iv.length + ct.length];
            System.arraycopy(iv, 0, out, 0, iv.length);
            System.arraycopy(ct, 0, out, iv.length, ct.length);
            return "v1:" + Base64.getEncoder().encodeToString(out);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    public String decrypt(String sealed, String boundTo) {
        if (sealed == null || !sealed.startsWith("v1:")) {
            throw new IllegalStateException("not a sealed secret");
        }
        try {
            byte[] in = Base64.getDecoder().decode(sealed.substring(3));
            Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
            c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, in, 0, 12));
            c.updateAAD(boundTo.getBytes(StandardCharsets.UTF_8));
            return new String(c.doFinal(in, 12, in.length - 12), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret does not decrypt (wrong key or tampered)", e);
        }
    }
}
