import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import safeguard.ProxySettings;
import safeguard.actions.ActionContext;
import safeguard.actions.ActionRequest;
import safeguard.actions.ActionService;
import safeguard.http.RetryPolicy;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * The store's size on disk after N actions (default 10,000) through the real admission path, each its own action
 * (the clock moves past the coalescing window between requests) on a dry-run Scale target, every context field at
 * its documented limit (path 4,096, file name, rule and user 255 characters). Prints bytes, and bytes per action.
 */
public final class StoreSize {
    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        AtomicLong minutes = new AtomicLong();
        Instant t0 = Instant.parse("2026-11-01T00:00:00Z");
        Clock clock = new Clock() {
            public ZoneId getZone() { return ZoneOffset.UTC; }
            public Clock withZone(ZoneId z) { return this; }
            public Instant instant() { return t0.plus(Duration.ofMinutes(minutes.get())); }
        };
        Store store = Store.open(dir);
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("scale", "scale1", "scale.example.com", 443, "snapadmin", "pw",
                new Tls("verify", null, null), 2, 10,
                new ScaleSettings("gpfs01", "sales", List.of("sales"), "sgc", 24, 60, "UTC"), null, null, true));
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { }), d -> { });
        ActionContext ctx = new ActionContext("R".repeat(255), "u".repeat(255), "/" + "p".repeat(4095), "f".repeat(255),
                null, null);
        try (Journal journal = new Journal(dir.resolve("journal"), 16L * 1024 * 1024, clock);
             ActionService actions = new ActionService(journal, targets, connector, null, clock, 32)) {
            actions.load();
            for (int i = 0; i < n; i++) {
                minutes.addAndGet(2);
                actions.submit(new ActionRequest("scale-snapshot", "scale1", ctx, "k-" + i, null, null, null));
            }
        }
        long journalBytes = 0;
        try (var files = Files.list(dir.resolve("journal"))) {
            for (Path f : files.toList()) {
                journalBytes += Files.size(f);
            }
        }
        long all;
        try (var walk = Files.walk(dir)) {
            all = walk.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("| %,d actions | journal %,d bytes | store %,d bytes | %,d bytes per action |%n", n, journalBytes,
                all, all / n);
    }
}
