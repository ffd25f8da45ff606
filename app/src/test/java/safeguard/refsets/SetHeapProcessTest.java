package safeguard.refsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.TestCerts;
import safeguard.Json;
import safeguard.qradar.ConsoleExtension;

/**
 * The finding: at 100,003 elements one view of a reference set never answered and the JVM died of OutOfMemoryError
 * (the set was read whole; adding read it too). Here a set of 200,000 elements is paged by four viewers at once,
 * added to and removed from, by the app in a JVM started with the manifest's heap flags: outside QRadar (a file of
 * the store) and inside (QRadar's set through the collections API, the console in this JVM).
 */
class SetHeapProcessTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;

    /** The JVM flags of the manifest's command (the app's container), without the class-data archive ones. */
    static List<String> manifestFlags() throws Exception {
        String command = Json.mapper().readTree(Path.of("..", "manifest.json").toFile()).path("services").get(0)
                .path("command").asText();
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
        cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "-Dlog4j2.level=WARN", SetHeapDrive.class.getName()));
        cmd.addAll(Arrays.asList(args));
        Path out = tmp.resolve("drive.out");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor();
            throw new AssertionError("drive did not finish: " + Files.readString(out));
        }
        String text = Files.readString(out);
        assertEquals(0, p.exitValue(), text);
        return text;
    }

    @Test
    void a_local_set_of_200000_elements_is_paged_added_to_and_removed_from_within_the_manifest_heap() throws Exception {
        assertTrue(manifestFlags().stream().anyMatch(f -> f.startsWith("-Xmx")));
        String out = run("local", tmp.resolve("store").toString());
        assertTrue(out.contains("done mode=local elements=200000"), out);
        List<String> lines = Files.readAllLines(tmp.resolve("store/reference-sets/Confidential-Files.jsonl"));
        assertEquals(200_000, lines.size(), "one added, one removed");
        assertTrue(lines.get(lines.size() - 1).contains("zz-new-value.csv"));
    }

    @Test
    void a_qradar_set_of_200000_elements_is_paged_added_to_and_removed_from_within_the_manifest_heap() throws Exception {
        String[] values = new String[SetHeapDrive.SIZE];
        for (int i = 0; i < values.length; i++) {
            values[i] = SetHeapDrive.name(i);
        }
        long id = console.fake().adminCreatesReferenceSet(SetHeapDrive.SET, "ALN", values).get("id").asLong();
        // The fake console sorts a set on its first sorted read (seconds on a busy machine): done here, not in the
        // drive's first page, which has a 10 s client timeout.
        console.service().getRange("/reference_data_collections/set_entries", java.util.Map.of("filter",
                "collection_id=" + id, "entry_type", "ALN", "sort", "+value"), 0, 0);
        console.fake().signsIn("sec-alice", "alice", true);
        String out = run("qradar", tmp.resolve("store").toString(), console.baseUrl(),
                TestCerts.localhost().pem().toString());
        assertTrue(out.contains("done mode=qradar elements=200000"), out);
        List<String> now = console.fake().setValues(SetHeapDrive.SET);
        assertEquals(200_000, now.size());
        assertTrue(now.contains("zz-new-value.csv") && !now.contains(SetHeapDrive.name(5)));
        assertTrue(console.fake().requests().stream().noneMatch(r -> r.path().startsWith("/api/reference_data/")));
        System.out.println(out);
    }
}
