import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.qradar.ConsoleExtension;

/**
 * A reference set of 200,000 elements read a page (1,000) at a time by the app in a JVM with the manifest's flags
 * (app/src/test/java/safeguard/refsets/SetHeapDrive.java does the reading and prints its timings): outside QRadar
 * (the store's file) and inside (the contract-faithful fake console in this JVM, through the collections API).
 */
public final class RefsetPageBench {
    public static void main(String[] args) throws Exception {
        String cp = System.getProperty("java.class.path");
        Path tmp = Files.createTempDirectory("refset-bench");
        System.out.println(run(cp, "local", tmp.resolve("local").toString()));
        ConsoleExtension console = ConsoleExtension.started();
        try {
            String[] values = new String[200_000];
            for (int i = 0; i < values.length; i++) {
                values[i] = String.format("file-%06d.csv", i);
            }
            long id = console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN", values).get("id").asLong();
            console.service().getRange("/reference_data_collections/set_entries", Map.of("filter", "collection_id=" + id,
                    "entry_type", "ALN", "sort", "+value"), 0, 0);
            console.fake().signsIn("sec-alice", "alice", true);
            System.out.println(run(cp, "qradar", tmp.resolve("qradar").toString(), console.baseUrl(),
                    TestCerts.localhost().pem().toString()));
            System.out.println("contract violations: " + console.fake().violations().size());
        } finally {
            console.stop();
        }
    }

    static String run(String cp, String... args) throws Exception {
        String command = Json.mapper().readTree(Path.of("manifest.json").toFile()).path("services").get(0)
                .path("command").asText();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String part : command.split(" ")) {
            if ((part.startsWith("-X") || part.startsWith("-D")) && !part.contains("SharedArchive") && !part.startsWith("-Xlog")) {
                cmd.add(part);
            }
        }
        cmd.addAll(List.of("-cp", cp, "-Dlog4j2.level=WARN", "safeguard.refsets.SetHeapDrive"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        return "exit " + p.waitFor() + ": " + out.strip();
    }
}
