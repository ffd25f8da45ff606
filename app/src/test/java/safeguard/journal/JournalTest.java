package safeguard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

class JournalTest {
    @TempDir
    Path dir;

    private static com.fasterxml.jackson.databind.node.ObjectNode data(int i) {
        return Json.mapper().createObjectNode().put("i", i).put("padding", "p".repeat(200));
    }

    @Test
    void records_chain_across_rotated_files_and_across_restarts() {
        try (Journal j = new Journal(dir.resolve("journal"), 4_096, Clock.systemUTC())) {
            for (int i = 0; i < 50; i++) {
                j.append("a" + i, "accepted", data(i));
            }
        }
        try (Journal j = new Journal(dir.resolve("journal"), 4_096, Clock.systemUTC())) {
            Journal.Written w = j.append("a50", "accepted", data(50));
            assertEquals(51, w.record().seq());
            assertEquals("a50", j.read(w.position()).action(), "a record can be read back from its position");
            ChainReport report = j.verify();
            assertTrue(report.intact(), report.toString());
            assertEquals(51, report.records());
            assertTrue(report.files() > 3, "rotated by size: " + report.files());
            List<Journal.Written> all = new ArrayList<>();
            j.replay(all::add);
            assertEquals(51, all.size());
            assertEquals("a50", all.get(50).record().action());
            for (Journal.Written each : all) {
                assertEquals(each.record(), j.read(each.position()), "positions from replay point at their records");
            }
        }
    }

    @Test
    void a_changed_line_is_detected_at_that_very_line() throws Exception {
        try (Journal j = new Journal(dir.resolve("journal"), 1 << 20, Clock.systemUTC())) {
            for (int i = 0; i < 10; i++) {
                j.append("a" + i, "accepted", data(i));
            }
        }
        Path file = dir.resolve("journal").resolve("journal-000001.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(4, lines.get(4).replace("\"accepted\"", "\"verified\""));
        Files.write(file, lines, StandardCharsets.UTF_8);
        try (Journal j = new Journal(dir.resolve("journal"), 1 << 20, Clock.systemUTC())) {
            ChainReport r = j.verify();
            assertFalse(r.intact());
            assertEquals("journal-000001.jsonl", r.brokenAtFile());
            assertEquals(5L, r.brokenAtLine());
            assertTrue(r.reason().contains("MAC"), r.reason());
        }
    }

    @Test
    void a_removed_line_is_detected() throws Exception {
        try (Journal j = new Journal(dir.resolve("journal"), 1 << 20, Clock.systemUTC())) {
            for (int i = 0; i < 5; i++) {
                j.append("a" + i, "accepted", data(i));
            }
        }
        Path file = dir.resolve("journal").resolve("journal-000001.jsonl");
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.remove(2);
        Files.write(file, lines, StandardCharsets.UTF_8);
        try (Journal j = new Journal(dir.resolve("journal"), 1 << 20, Clock.systemUTC())) {
            assertEquals(3L, j.verify().brokenAtLine());
        }
    }

    @Test
    void concurrent_appends_are_all_durable_and_chained() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(16);
        try (Journal j = new Journal(dir.resolve("journal"), 64 * 1024, Clock.systemUTC())) {
            List<Future<Journal.Written>> fs = new ArrayList<>();
            for (int i = 0; i < 2_000; i++) {
                int n = i;
                fs.add(pool.submit(() -> j.append("a" + n, "accepted", data(n))));
            }
            for (Future<Journal.Written> f : fs) {
                Journal.Written w = f.get();
                assertEquals(w.record(), j.read(w.position()));
            }
            ChainReport r = j.verify();
            assertTrue(r.intact(), r.toString());
            assertEquals(2_000, r.records());
        } finally {
            pool.shutdownNow();
        }
    }
}
