package safeguard.targets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretBoxTest {
    @TempDir
    Path store;

    @Test
    void a_secret_round_trips_and_never_seals_the_same_way_twice() {
        SecretBox box = SecretBox.open(store);
        String a = box.encrypt("pa55word", "target:scale1");
        String b = box.encrypt("pa55word", "target:scale1");
        assertNotEquals(a, b);
        assertFalse(a.contains("pa55word"));
        assertEquals("pa55word", box.decrypt(a, "target:scale1"));
        assertEquals("pa55word", SecretBox.open(store).decrypt(b, "target:scale1"), "the key persists");
    }

    @Test
    void the_key_is_owner_only() throws Exception {
        SecretBox.open(store);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.resolve("secret.key"))));
    }

    @Test
    void a_secret_moved_to_another_target_or_tampered_with_does_not_decrypt() {
        SecretBox box = SecretBox.open(store);
        String sealed = box.encrypt("pa55word", "scale1");
        assertThrows(IllegalStateException.class, () -> box.decrypt(sealed, "scale2"));
        char[] c = sealed.toCharArray();
        c[c.length - 3] = c[c.length - 3] == 'A' ? 'B' : 'A';
        assertThrows(IllegalStateException.class, () -> box.decrypt(new String(c), "scale1"));
    }
}
