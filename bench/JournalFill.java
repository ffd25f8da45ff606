import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import safeguard.Json;
import safeguard.journal.Journal;

/** Writes a store with N actions of 5 journal records each (accepted, started, 2 calls, verified), as real runs do. */
public final class JournalFill {
    public static void main(String[] args) throws Exception {
        Path store = Path.of(args[0]);
        int actions = Integer.parseInt(args[1]);
        Instant t = Instant.parse("2026-11-01T00:00:00Z");
        try (Journal j = new Journal(store.resolve("journal"), 16L * 1024 * 1024, Clock.fixed(t, ZoneOffset.UTC))) {
            // 64 writers share fsyncs through the journal's group commit, as concurrent requests do (the common
            // pool has one thread per core less one: on 2 cores a million records took ~18 minutes of fsyncs).
            java.util.concurrent.ForkJoinPool writers = new java.util.concurrent.ForkJoinPool(64);
            writers.submit(() -> java.util.stream.IntStream.range(0, actions).parallel().forEach(i -> {
                String id = String.format("a-20261101T%06dZ-%08x", i % 240000, i);
                ObjectNode ctx = Json.mapper().createObjectNode().put("rule", "Safeguard: confidential file touched off-hours")
                        .put("user", Integer.toString(2000 + i % 50)).put("path", "/ibm/gpfs01/sales/file-" + i + ".csv")
                        .put("filename", "file-" + i + ".csv");
                ObjectNode acc = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", "scale1").put("scope", "sales");
                acc.set("context", ctx);
                ObjectNode plan = acc.putObject("plan");
                plan.put("fileSystem", "gpfs01").put("fileset", "sales").put("snapshot", "sgc-sales-" + i)
                        .put("expiresAt", "2026-11-08T00:00:00Z").put("clusterTimeZone", "UTC");
                acc.put("dryRun", false);
                j.append(id, "accepted", acc);
                j.append(id, "started", Json.mapper().createObjectNode());
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "create snapshot")
                        .put("request", "POST /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots").put("status", 202).put("millis", 37).put("outcome", "HTTP 202"));
                j.append(id, "call", Json.mapper().createObjectNode().put("operation", "read back snapshot")
                        .put("request", "GET /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots/sgc-sales-" + i).put("status", 200).put("millis", 12).put("outcome", "HTTP 200"));
                ObjectNode done = Json.mapper().createObjectNode();
                done.putObject("result").put("snapshot", "sgc-sales-" + i).put("expirationTime", "2026-11-08-00:00");
                j.append(id, "verified", done);
            })).get();
            writers.shutdown();
        }
    }
}
