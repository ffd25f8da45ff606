package safeguard.journal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

/** What someone who can edit the journal's files can no longer hide, and what a crash can no longer break. */
class JournalTamperTest {
    @TempDir
    Path store;

    private Path dir() {
        return store.resolve("journal");
    }

    private Journal open(long rotate) {
        return new Journal(dir(), rotate, Clock.systemUTC());
    }

    private static ObjectNode data(int i) {
        return Json.mapper().createObjectNode().put("i", i).put("padding", "p".repeat(100));
    }

    private void write(int n, long rotate) {
        try (Journal j = open(rotate)) {
            for (int i = 0; i < n; i++) {
                j.append("a" + i, i % 2 == 0 ? "accepted" : "failed", data(i));
            }
        }
    }

    private Path first() {
        return dir().resolve("journal-000001.jsonl");
    }

    @Test
    void an_edit_with_the_whole_chain_recomputed_is_caught_at_the_edited_line() throws Exception {
        write(10, 1 << 20);
        List<String> lines = new ArrayList<>(Files.readAllLines(first()));
        // An attacker without the key: turn "failed" into "verified", then fix every prev after it.
        lines.set(3, lines.get(3).replace("\"failed\"", "\"verified\""));
        for (int i = 4; i < lines.size(); i++) {
            String hash = Journal.sha256(lines.get(i - 1));
            lines.set(i, lines.get(i).replaceAll("\"prev\":\"[0-9a-f]{64}\"", "\"prev\":\"" + hash + "\""));
        }
        Files.write(first(), lines, StandardCharsets.UTF_8);
        try (Journal j = open(1 << 20)) {
            ChainReport r = j.verify();
            assertFalse(r.intact());
            assertEquals(4L, r.brokenAtLine());
            assertTrue(r.reason().contains("MAC"), r.reason());
        }
    }

    @Test
    void a_plain_edit_is_caught_without_asking_for_a_fresh_check() throws Exception {
        write(10, 1 << 20);
        try (Journal j = open(1 << 20)) {
            assertTrue(j.verify(false).intact());
            List<String> lines = new ArrayList<>(Files.readAllLines(first()));
            lines.set(6, lines.get(6).replace("\"i\":6", "\"i\":7"));
            Files.write(first(), lines, StandardCharsets.UTF_8);
            ChainReport r = j.verify(false);
            assertFalse(r.intact());
            assertEquals(7L, r.brokenAtLine());
        }
    }

    @Test
    void cutting_lines_off_the_end_is_detected() throws Exception {
        write(30, 1 << 20);
        List<String> lines = Files.readAllLines(first());
        Files.write(first(), lines.subList(0, 10), StandardCharsets.UTF_8);
        try (Journal j = open(1 << 20)) {
            ChainReport r = j.verify();
            assertFalse(r.intact());
            assertTrue(r.reason().contains("cut off the end"), r.reason());
            assertEquals("damaged", j.status().state());
        }
    }

    @Test
    void deleting_the_last_segment_is_detected() throws Exception {
        write(60, 2_000);
        List<Path> files;
        try (var s = Files.list(dir())) {
            files = s.sorted().toList();
        }
        assertTrue(files.size() > 3, "needs several segments: " + files);
        Files.delete(files.get(files.size() - 1));
        try (Journal j = open(2_000)) {
            ChainReport r = j.verify();
            assertFalse(r.intact(), r.toString());
            assertTrue(r.reason().contains("segment was deleted"), r.reason());
        }
    }

    @Test
    void deleting_a_middle_segment_is_detected_where_the_next_one_starts() throws Exception {
        write(60, 2_000);
        Files.delete(dir().resolve("journal-000002.jsonl"));
        try (Journal j = open(2_000)) {
            ChainReport r = j.verify();
            assertFalse(r.intact());
            assertEquals("journal-000003.jsonl", r.brokenAtFile());
            assertEquals(1L, r.brokenAtLine());
        }
    }

    @Test
    void an_altered_sealed_head_is_reported() throws Exception {
        write(5, 1 << 20);
        Path head = store.resolve(JournalSeal.HEAD_FILE);
        Files.writeString(head, Files.readString(head).replaceFirst("\"seq\":5", "\"seq\":4"));
        try (Journal j = open(1 << 20)) {
            ChainReport r = j.verify();
            assertFalse(r.intact());
            assertTrue(r.reason().contains("altered"), r.reason());
        }
    }

    @Test
    void the_key_is_kept_outside_the_journal_folder_and_never_in_a_line() throws Exception {
        write(3, 1 << 20);
        Path key = store.resolve(JournalSeal.KEY_FILE);
        assertTrue(Files.exists(key));
        String hex = java.util.HexFormat.of().formatHex(Files.readAllBytes(key));
        assertFalse(Files.readString(first()).contains(hex));
        try (var s = Files.list(dir())) {
            assertTrue(s.allMatch(p -> p.getFileName().toString().startsWith("journal-")));
        }
    }

    @Test
    void a_torn_last_record_is_cut_reported_and_the_journal_goes_on() throws Exception {
        write(5, 1 << 20);
        Files.write(first(), "{\"seq\":6,\"time\":\"2026-11-".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Journal j = open(1 << 20)) {
            assertEquals(1, j.repairs().size(), j.repairs().toString());
            assertTrue(j.repairs().get(0).contains("torn last record"));
            Journal.Written w = j.append("a6", "accepted", data(6));
            assertEquals(6, w.record().seq());
            assertTrue(j.verify().intact());
        }
    }

    @Test
    void a_last_line_that_is_not_json_is_cut_and_the_chain_stays_intact() throws Exception {
        write(5, 1 << 20);
        Files.write(first(), "\u0000\u0000garbage\n".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Journal j = open(1 << 20)) {
            assertEquals(1, j.repairs().size());
            assertTrue(j.verify().intact());
        }
    }

    @Test
    void a_corrupt_middle_record_marks_the_journal_damaged_keeps_the_segment_and_writes_on_in_a_new_one() throws Exception {
        write(10, 1 << 20);
        List<String> lines = new ArrayList<>(Files.readAllLines(first()));
        lines.set(4, "{not json at all");
        Files.write(first(), lines, StandardCharsets.UTF_8);
        byte[] damaged = Files.readAllBytes(first());
        try (Journal j = open(1 << 20)) {
            List<Long> seen = new ArrayList<>();
            j.replay(w -> seen.add(w.record().seq()));
            assertEquals(9, seen.size(), "the other records are still read");
            assertNotNull(j.damage());
            assertEquals(5L, j.damage().line());
            assertEquals("damaged", j.status().state());
            Journal.Written w = j.append("a10", "accepted", data(10));
            assertEquals(2, (int) (w.position() >>> 40), "new records go to a new segment");
            assertEquals("journal-000002.jsonl", j.status().segment());
        }
        assertArrayEquals(damaged, Files.readAllBytes(first()), "the damaged segment is kept as it was");
    }

    @Test
    void a_sidecar_is_read_back_only_while_its_seal_holds() throws Exception {
        try (Journal j = open(1 << 20)) {
            j.writeSidecar("x.json", "{\"a\":1}".getBytes(StandardCharsets.UTF_8));
            assertEquals("{\"a\":1}", new String(j.readSidecar("x.json"), StandardCharsets.UTF_8));
            Path f = store.resolve("x.json");
            Files.writeString(f, Files.readString(f).replace("\"a\":1", "\"a\":2"));
            assertNull(j.readSidecar("x.json"));
        }
    }
}
