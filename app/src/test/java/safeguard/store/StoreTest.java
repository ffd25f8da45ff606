package safeguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ConfigException;

class StoreTest {

    @Test
    void opening_creates_the_layout_owner_only(@TempDir Path tmp) throws Exception {
        Store store = Store.open(tmp.resolve("store"));
        assertTrue(Files.isDirectory(store.logDir()));
        assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(store.dir())));
        assertTrue(store.isWritable());
    }

    @Test
    void a_store_that_cannot_be_created_is_a_config_error_naming_the_path(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("not-a-dir"), "x");
        ConfigException e = assertThrows(ConfigException.class, () -> Store.open(file.resolve("store")));
        assertTrue(e.getMessage().startsWith("store directory " + file.resolve("store")), e.getMessage());
    }

    @Test
    void writability_is_probed_with_a_real_write(@TempDir Path tmp) throws Exception {
        Store store = Store.open(tmp.resolve("store"));
        // Replacing the directory by a file is what a vanished volume looks like; root ignores chmod, so use that.
        Files.walk(store.dir()).sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        Files.writeString(store.dir(), "gone");
        assertFalse(store.isWritable());
    }
}
