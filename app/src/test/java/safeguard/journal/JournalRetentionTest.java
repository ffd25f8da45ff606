package safeguard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.MutableClock;

/** Old segments leave the live journal only when covered and past retention, compressed, and the chain still holds. */
class JournalRetentionTest {
    private static final long ROTATE = 3_000;

    @TempDir
    Path store;
    final MutableClock clock = new MutableClock(Instant.parse("2025-01-01T00:00:00Z"));

    private Journal open() {
        return new Journal(store.resolve("journal"), ROTATE, clock);
    }

    private static void write(Journal j, int n) {
        for (int i = 0; i < n; i++) {
            j.append("a" + i, "accepted", Json.mapper().createObjectNode().put("i", i).put("pad", "p".repeat(60)));
        }
    }

    @Test
    void segments_past_retention_and_covered_by_the_checkpoint_are_archived_compressed_and_the_chain_still_verifies()
            throws Exception {
        Journal.End covered;
        List<String> archived;
        try (Journal j = open()) {
            write(j, 40); // several segments, all on 2025-01-01
            Journal.End oldEnd = j.end();
            clock.advance(Duration.ofDays(401));
            write(j, 20);
            covered = j.end();
            assertEquals(List.of(), j.archive(Segments.position(1, 0)), "nothing before the covered position's segment");
            archived = j.archive(covered.position());
            assertFalse(archived.isEmpty());
            assertTrue(archived.stream().allMatch(a -> Segments.number(Path.of(a)) < Segments.fileOf(oldEnd.position()) + 1));
            for (String a : archived) {
                assertFalse(Files.exists(store.resolve("journal").resolve(a)), a + " left the live journal");
                assertTrue(Files.exists(store.resolve("journal/archive").resolve(a + ".gz")));
            }
            ChainReport r = j.verify(true);
            assertTrue(r.intact(), r.toString());
            write(j, 3);
            assertTrue(j.verify(true).intact());
        }
        try (Journal j = open()) {
            assertTrue(j.verify(true).intact(), "after a restart too");
            assertEquals("intact", j.status().state());
        }
        // The archive is still checkable: its last line is the one the sealed anchor names.
        String last = archived.get(archived.size() - 1);
        String text;
        try (InputStream in = new GZIPInputStream(Files.newInputStream(store.resolve("journal/archive").resolve(last + ".gz")))) {
            text = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        String[] lines = text.split("\n");
        Retention.Anchor anchor = new Retention(new Segments(store.resolve("journal")), JournalSeal.open(store)).anchor();
        assertEquals(Journal.sha256(lines[lines.length - 1]), anchor.hash());
    }

    @Test
    void young_segments_stay_and_deleting_the_anchor_or_an_old_segment_instead_is_caught() throws Exception {
        try (Journal j = open()) {
            write(j, 40);
            assertEquals(List.of(), j.archive(j.end().position()), "younger than 400 days: kept");
            clock.advance(Duration.ofDays(401));
            write(j, 5);
            assertFalse(j.archive(j.end().position()).isEmpty());
        }
        Files.delete(store.resolve(Retention.ANCHOR));
        try (Journal j = open()) {
            assertFalse(j.verify(true).intact(), "without the anchor the live journal does not link");
        }
    }

    @Test
    void removing_old_segments_without_archiving_them_is_caught() throws Exception {
        try (Journal j = open()) {
            write(j, 40);
        }
        Files.delete(store.resolve("journal/journal-000001.jsonl"));
        try (Journal j = open()) {
            ChainReport r = j.verify(true);
            assertFalse(r.intact(), r.toString());
            assertEquals("journal-000002.jsonl", r.brokenAtFile());
        }
    }
}
