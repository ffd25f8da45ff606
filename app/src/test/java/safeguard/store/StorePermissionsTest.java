package safeguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;

/** Every file in the store is 0600 and every folder 0700: created so, and checked (and fixed) at every start. */
class StorePermissionsTest {
    @TempDir
    Path tmp;

    private static List<String> loose(Path root) throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> all = Files.walk(root)) {
            for (Path p : all.toList()) {
                String want = Files.isDirectory(p) ? "rwx------" : "rw-------";
                String has = PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
                if (!has.equals(want)) {
                    out.add(root.relativize(p) + " " + has);
                }
            }
        }
        return out;
    }

    @Test
    void loose_files_and_folders_are_made_owner_only_at_start_and_reported_in_health() throws Exception {
        Path store = tmp.resolve("store");
        Files.createDirectories(store.resolve("journal"));
        Path old = Files.writeString(store.resolve("journal").resolve("journal-000001.jsonl"), "");
        Files.setPosixFilePermissions(old, PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(store.resolve("journal"), PosixFilePermissions.fromString("rwxr-xr-x"));
        Path log = Files.createDirectories(store.resolve("log"));
        Files.setPosixFilePermissions(Files.writeString(log.resolve("app.log"), "x"), PosixFilePermissions.fromString("rw-rw-r--"));

        try (LocalApp app = LocalApp.start(store)) {
            JsonNode health = Json.mapper().readTree(app.http().get("/api/health").body());
            JsonNode fixed = health.path("store").path("permissionsFixed");
            assertTrue(fixed.toString().contains("log/app.log rw-rw-r-- -> rw-------"), fixed.toString());
            assertTrue(fixed.toString().contains("journal rwxr-xr-x -> rwx------"), fixed.toString());
            assertTrue(fixed.toString().contains("journal-000001.jsonl rw-r--r-- -> rw-------"), fixed.toString());
            assertTrue(health.path("store").path("bytesOnDisk").asLong() > 0, health.toString());
            assertEquals("ok", health.path("status").asText(), health.toString());
            // The app's own writes: an action token, the journal's head, key and records, a checkpoint.
            assertEquals(200, app.http().send("POST", "/api/action-token/rotate", "").statusCode());
        }
        assertTrue(Files.exists(store.resolve("journal-head.json")));
        assertTrue(Files.exists(store.resolve("actions-checkpoint.json")));
        assertEquals(List.of(), loose(store));
    }

    @Test
    void the_check_fixes_what_it_can_and_says_what_it_changed() throws Exception {
        Path root = Files.createDirectories(tmp.resolve("s").resolve("sub"));
        Path f = Files.writeString(root.resolve("f"), "x");
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rwxrwxrwx"));
        Permissions.Report r = Permissions.check(tmp.resolve("s"));
        assertTrue(r.fixed().contains("sub/f rwxrwxrwx -> rw-------"), r.toString());
        assertEquals(List.of(), r.failed());
        assertEquals(List.of(), loose(tmp.resolve("s")));
        assertEquals(List.of(), Permissions.check(tmp.resolve("s")).fixed(), "nothing left to fix");
    }
}
