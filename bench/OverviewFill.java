import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import safeguard.Json;
import safeguard.journal.Journal;

/**
 * Writes a journal of 3 targets x N actions spread over the last 24 hours, as a day of bursts leaves it: every
 * tenth action runs (accepted, started, 2 calls, an outcome), the nine after it are coalesced into it. The last
 * run of scale-b failed, so the overview shows a protected, an unprotected and a protected target.
 * Usage: java -cp … bench/OverviewFill.java STORE [N]. Run by bench/overview.sh.
 */
public final class OverviewFill {
    /** The journal stamps each record with its clock: this one is moved to each action's time. */
    static final class SetClock extends Clock {
        Instant now = Instant.now();

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    public static void main(String[] args) {
        Path store = Path.of(args[0]);
        int perTarget = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        Instant end = Instant.now().minusSeconds(60);
        // Within the overview's 24 hourly buckets (the oldest starts 23 to 24 hours ago, by the clock's minute).
        Duration step = Duration.ofHours(23).dividedBy(perTarget);
        DateTimeFormatter idTime = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
        SetClock clock = new SetClock();
        String[] targets = {"scale-a", "scale-b", "scale-c"};
        int serial = 0;
        try (Journal j = new Journal(store.resolve("journal"), 16L * 1024 * 1024, clock)) {
            for (int i = 0; i < perTarget; i++) {
                for (int t = 0; t < targets.length; t++) {
                    String target = targets[t];
                    Instant at = end.minus(step.multipliedBy(perTarget - 1 - i)).plusMillis(t * 7L);
                    clock.now = at;
                    String id = "a-" + idTime.format(at) + "-" + String.format("%08x", serial++);
                    ObjectNode base = Json.mapper().createObjectNode().put("type", "scale-snapshot").put("target", target).put("scope", "sales");
                    base.putObject("context").put("rule", "Safeguard: confidential file touched off-hours")
                            .put("user", Integer.toString(2000 + i % 50)).put("path", "/ibm/gpfs01/sales/file-" + i + ".csv")
                            .put("filename", "file-" + i + ".csv");
                    if (i % 10 != 0) {
                        base.put("into", "coalesced-" + target);
                        j.append(id, "coalesced", base);
                        continue;
                    }
                    String snap = "sgc-sales-" + idTime.format(at);
                    Instant expires = at.plus(Duration.ofHours(168));
                    ObjectNode plan = base.putObject("plan");
                    plan.put("fileSystem", "gpfs01").put("fileset", "sales").put("snapshot", snap)
                            .put("expiresAt", expires.toString()).put("clusterTimeZone", "UTC");
                    base.put("dryRun", false);
                    j.append(id, "accepted", base);
                    j.append(id, "started", Json.mapper().createObjectNode());
                    j.append(id, "call", Json.mapper().createObjectNode().put("operation", "create snapshot")
                            .put("request", "POST /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots").put("status", 202).put("millis", 37).put("outcome", "HTTP 202"));
                    boolean fail = target.equals("scale-b") && i >= perTarget - 10;
                    j.append(id, "call", Json.mapper().createObjectNode().put("operation", "read back snapshot")
                            .put("request", "GET /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshots/" + snap)
                            .put("status", fail ? 404 : 200).put("millis", 12).put("outcome", fail ? "HTTP 404" : "HTTP 200"));
                    ObjectNode done = Json.mapper().createObjectNode();
                    done.putObject("result").put("snapshot", snap).put("fileSystem", "gpfs01").put("fileset", "sales")
                            .put("expirationTime", DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm").withZone(ZoneOffset.UTC).format(expires));
                    if (fail) {
                        done.put("error", "snapshot not found when read back: HTTP 404");
                    }
                    j.append(id, fail ? "failed" : "verified", done);
                }
            }
        }
    }
}
