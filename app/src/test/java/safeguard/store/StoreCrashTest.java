package safeguard.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

/** kill -9 while the store rewrites a file: the file is always one whole version, never a torn mix. */
class StoreCrashTest {

    /** Rewrites targets.json forever with growing versions of ~400 KB, from the version it finds; run in its own JVM and killed. */
    public static void main(String[] args) throws Exception {
        Store store = Store.open(Path.of(args[0]));
        String filler = "x".repeat(400_000);
        long start = store.read("targets.json").map(b -> {
            try {
                return Json.mapper().readTree(b).get("version").asLong();
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }).orElse(0L);
        for (long v = start + 1; ; v++) {
            store.writeAtomically("targets.json",
                    ("{\"version\":" + v + ",\"filler\":\"" + filler + "\",\"end\":" + v + "}").getBytes(StandardCharsets.UTF_8));
            System.out.println("wrote " + v);
        }
    }

    @Test
    void a_crash_mid_write_leaves_the_previous_or_the_new_version_intact(@TempDir Path tmp) throws Exception {
        Path dir = tmp.resolve("store");
        long lastSeen = 0;
        for (int round = 0; round < 5; round++) {
            Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                    "-cp", System.getProperty("java.class.path"), StoreCrashTest.class.getName(), dir.toString())
                    .redirectErrorStream(true).start();
            BufferedReader out = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            int wanted = 3 + ThreadLocalRandom.current().nextInt(20);
            long written = 0;
            for (int i = 0; i < wanted; i++) {
                String line = out.readLine();
                assertTrue(line != null && line.startsWith("wrote "), String.valueOf(line));
                written = Long.parseLong(line.substring(6));
            }
            Thread.sleep(ThreadLocalRandom.current().nextInt(5)); // land somewhere inside a later write
            p.destroyForcibly(); // SIGKILL: no shutdown hooks, no flush
            assertTrue(p.waitFor(10, TimeUnit.SECONDS));

            JsonNode file = Json.mapper().readTree(Files.readAllBytes(dir.resolve("targets.json")));
            long version = file.get("version").asLong();
            assertEquals(version, file.get("end").asLong(), "torn file");
            assertTrue(version >= written, "a confirmed write was lost: " + version + " < " + written);
            assertTrue(version >= lastSeen);
            lastSeen = version;
        }
    }
}
