import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.stream.IntStream;
import safeguard.Json;
import safeguard.journal.Journal;

/**
 * Writes a journal of N actions of 5 records each (accepted, started, 2 calls, outcome) over 3 targets, written now
 * (so they fall in the Overview's day); every run of scale-b fails. 64 writers share fsyncs through the journal's
 * group commit (a parallel stream gave it only as many as cores: two, and a fill of 22 min). Usage: java -cp … bench/OverviewBigFill.java STORE N. Run by bench/overview-load.sh.
 */
public final class OverviewBigFill {
    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        int actions = Integer.parseInt(args[1]);
        String[] targets = {"scale-a", "scale-b", "scale-c"};
        DateTimeFormatter idTime = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        java.util.concurrent.ForkJoinPool writers = new java.util.concurrent.ForkJoinPool(64);
        try (Journal j = new Journal(store.resolve("journal"), 16L * 1024 * 1024, Clock.systemUTC())) {
            writers.submit(() -> IntStream.range(0, actions).parallel().forEach(i -> {
                String target = targets[i % targets.length];
                String id = "a-" + idTime.format(Instant.now()) + "-" + String.format("%08x", i);
                ObjectNode acc = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", target)
                        .put("scope", "sales").put("dryRun", false);
                acc.putObject("context").put("rule", "Safeguard: confidential file touched off-hours")
                        .put("user", Integer.toString(2000 + i % 50)).put("path", "/ibm/gpfs01/sales/file-" + i + ".csv")
                        .put("filename", "file-" + i + ".csv");
                acc.putObject("plan").put("fileSystem", "gpfs01").put("fileset", "sales").put("snapshot", "sgc-sales-" + i);
                j.append(id, "accepted", acc);
                j.append(id, "started", Json.mapper().createObjectNode());
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "create snapshot")
                        .put("request", "POST /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots").put("status", 202));
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "read back snapshot")
                        .put("request", "GET /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots/sgc-sales-" + i).put("status", 200));
                boolean fail = target.equals("scale-b");
                ObjectNode done = Json.mapper().createObjectNode();
                done.putObject("result").put("snapshot", "sgc-sales-" + i).put("expiresAt", Instant.now().plusSeconds(7 * 86400).toString());
                if (fail) {
                    done.put("error", "snapshot not found when read back: HTTP 404");
                }
                j.append(id, fail ? "not-protected" : "protected", done);
            })).join();
        } finally {
            writers.shutdown();
        }
    }
}
