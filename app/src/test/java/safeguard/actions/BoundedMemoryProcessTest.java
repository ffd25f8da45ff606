package safeguard.actions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

/**
 * The finding: 4,040 requests with 4 KB contexts ended in OutOfMemoryError under the manifest's heap, and so did
 * every restart. Here 25,000 requests with every context field at its limit go through the engine in a JVM started
 * with the manifest's flags, then the engine restarts on that journal; both end normally within the heap.
 */
class BoundedMemoryProcessTest {
    @TempDir
    Path tmp;

    /** The JVM flags of the manifest's command (the app's container), without the class-data archive ones. */
    static List<String> manifestFlags() throws Exception {
        Path manifest = Path.of("..", "manifest.json");
        String command = Json.mapper().readTree(manifest.toFile()).path("services").get(0).path("command").asText();
        List<String> flags = new ArrayList<>();
        for (String part : command.split(" ")) {
            if ((part.startsWith("-X") || part.startsWith("-D")) && !part.contains("SharedArchive") && !part.startsWith("-Xlog")) {
                flags.add(part);
            }
        }
        return flags;
    }

    private String run(String... args) throws Exception {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.addAll(manifestFlags());
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlog4j2.level=WARN", MemoryDrive.class.getName()));
        cmd.addAll(Arrays.asList(args));
        Path out = tmp.resolve("drive.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(5, TimeUnit.MINUTES), "drive did not finish");
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void maximal_contexts_do_not_exhaust_the_manifest_heap_nor_its_restart() throws Exception {
        assertTrue(manifestFlags().stream().anyMatch(f -> f.startsWith("-Xmx")), manifestFlags().toString());
        String first = run(tmp.resolve("store").toString(), "25000", "5");
        assertTrue(first.contains("done requests=25000 actions=1000 "), first);
        Files.delete(tmp.resolve("store/" + Checkpoint.FILE)); // the restart rebuilds from the whole journal
        String second = run(tmp.resolve("store").toString(), "1000", "5");
        assertTrue(second.contains("done requests=1000 actions=1000 "), second);
    }
}
