package safeguard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import safeguard.ConflictException;
import safeguard.InvalidInputException;
import safeguard.Json;

/**
 * The sixteen ways of editing the journal's files an attacker tried: each is caught although the app writes on
 * at once (its first records re-seal the head), reported by a fresh verification and by the status, still after a
 * restart, until an admin acknowledges it with a reason, which is journaled.
 */
class JournalMutationsTest {
    private static final long ROTATE = 3_000;

    @TempDir
    Path store;

    interface Mutation {
        void apply(Path store, Path dir) throws IOException;
    }

    private Path dir() {
        return store.resolve("journal");
    }

    private Journal open() {
        return new Journal(dir(), ROTATE, Clock.systemUTC());
    }

    private void write(int n) {
        try (Journal j = open()) {
            for (int i = 0; i < n; i++) {
                j.append("a" + i, "accepted", Json.mapper().createObjectNode().put("i", i).put("pad", "p".repeat(60)));
            }
        }
    }

    private static List<Path> segments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".jsonl")).sorted().toList();
        }
    }

    private static Path newest(Path dir) throws IOException {
        List<Path> all = segments(dir);
        return all.get(all.size() - 1);
    }

    private static void keepLines(Path file, int drop) throws IOException {
        List<String> lines = Files.readAllLines(file);
        Files.write(file, lines.subList(0, lines.size() - drop), StandardCharsets.UTF_8);
    }

    private static void cutBytes(Path file, long bytes) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - bytes);
        }
    }

    private static void editLine(Path file, int index, String from, String to) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(file));
        lines.set(index, lines.get(index).replace(from, to));
        Files.write(file, lines, StandardCharsets.UTF_8);
    }

    static Stream<Arguments> mutations() {
        return Stream.of(
                Arguments.of("the last line removed", (Mutation) (s, d) -> keepLines(newest(d), 1)),
                Arguments.of("the last five lines removed, across segments", (Mutation) (s, d) -> {
                    int left = 5;
                    List<Path> all = segments(d);
                    for (int i = all.size() - 1; left > 0; i--) {
                        int here = Math.min(left, Files.readAllLines(all.get(i)).size());
                        keepLines(all.get(i), here);
                        left -= here;
                    }
                }),
                Arguments.of("every line of the newest segment removed", (Mutation) (s, d) -> Files.write(newest(d), new byte[0])),
                Arguments.of("the last byte (the newline) cut", (Mutation) (s, d) -> cutBytes(newest(d), 1)),
                Arguments.of("the last 30 bytes cut", (Mutation) (s, d) -> cutBytes(newest(d), 30)),
                Arguments.of("the last record cut in half", (Mutation) (s, d) -> {
                    List<String> lines = Files.readAllLines(newest(d));
                    cutBytes(newest(d), lines.get(lines.size() - 1).length() / 2 + 1);
                }),
                Arguments.of("the last line and a half cut", (Mutation) (s, d) -> {
                    List<String> lines = Files.readAllLines(newest(d));
                    cutBytes(newest(d), lines.get(lines.size() - 1).length() + 1 + lines.get(lines.size() - 2).length() / 2);
                }),
                Arguments.of("the newest segment deleted", (Mutation) (s, d) -> Files.delete(newest(d))),
                Arguments.of("the two newest segments deleted", (Mutation) (s, d) -> {
                    Files.delete(newest(d));
                    Files.delete(newest(d));
                }),
                Arguments.of("every segment deleted", (Mutation) (s, d) -> {
                    for (Path p : segments(d)) {
                        Files.delete(p);
                    }
                }),
                Arguments.of("the head's sequence number edited", (Mutation) (s, d) -> {
                    Path head = s.resolve(JournalSeal.HEAD_FILE);
                    Files.writeString(head, Files.readString(head).replaceFirst("\"seq\":40", "\"seq\":39"));
                }),
                Arguments.of("the head deleted", (Mutation) (s, d) -> Files.delete(s.resolve(JournalSeal.HEAD_FILE))),
                Arguments.of("the head deleted and the last line removed", (Mutation) (s, d) -> {
                    Files.delete(s.resolve(JournalSeal.HEAD_FILE));
                    keepLines(newest(d), 1);
                }),
                Arguments.of("the last line edited", (Mutation) (s, d) -> {
                    List<String> lines = Files.readAllLines(newest(d));
                    editLine(newest(d), lines.size() - 1, "\"accepted\"", "\"verified\"");
                }),
                Arguments.of("a middle line edited", (Mutation) (s, d) -> editLine(segments(d).get(0), 3, "\"i\":3", "\"i\":4")),
                Arguments.of("a middle line removed", (Mutation) (s, d) -> {
                    Path f = segments(d).get(0);
                    List<String> lines = new ArrayList<>(Files.readAllLines(f));
                    lines.remove(4);
                    Files.write(f, lines, StandardCharsets.UTF_8);
                }),
                Arguments.of("a middle segment deleted", (Mutation) (s, d) -> Files.delete(segments(d).get(1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mutations")
    void is_caught_although_the_app_writes_on_at_once_and_stays_reported_until_an_admin_acknowledges_it(String name,
            Mutation mutation) throws Exception {
        write(40);
        assertTrue(segments(dir()).size() >= 3, "several segments: " + segments(dir()));
        mutation.apply(store, dir());
        try (Journal j = open()) {
            j.append("after", "accepted", Json.mapper().createObjectNode());
            ChainReport fresh = j.verify(true);
            assertFalse(fresh.intact(), name + ": " + fresh);
            assertNotNull(fresh.reason());
            assertEquals("damaged", j.status().state(), name);
            j.append("after2", "accepted", Json.mapper().createObjectNode());
            assertFalse(j.verify(true).intact(), name + ": still reported after more writes");
        }
        try (Journal j = open()) {
            assertFalse(j.verify(true).intact(), name + ": a restart does not erase it");
            assertEquals("damaged", j.status().state(), name);
            JournalStatus after = j.acknowledge("admin", "restored the segment from backup and compared it");
            assertNotEquals("damaged", after.state(), name + ": " + after);
            assertTrue(after.findings().stream().noneMatch(DamageFinding::open));
            assertEquals("admin", after.findings().get(0).acknowledgedBy());
        }
        try (Journal j = open()) {
            ChainReport r = j.verify(true);
            assertTrue(r.intact() || Boolean.TRUE.equals(r.acknowledged()), name + ": " + r);
            assertNotEquals("damaged", j.status().state(), name);
            List<JournalRecord> acks = new ArrayList<>();
            j.replay(w -> {
                if ("journal-damage-acknowledged".equals(w.record().event())) {
                    acks.add(w.record());
                }
            });
            assertEquals(1, acks.size(), "the acknowledgement is journaled");
            assertEquals("restored the segment from backup and compared it", acks.get(0).data().path("reason").asText());
        }
    }

    @Test
    void a_clean_restart_and_a_crash_torn_record_the_head_never_sealed_are_not_damage() throws Exception {
        write(20);
        try (Journal j = open()) {
            j.append("x", "accepted", Json.mapper().createObjectNode());
        }
        Files.write(newest(dir()), "{\"seq\":22,\"time\":\"2026-".getBytes(StandardCharsets.UTF_8), StandardOpenOption.APPEND);
        try (Journal j = open()) {
            assertEquals(1, j.repairs().size(), j.repairs().toString());
            assertTrue(j.verify(true).intact());
            assertEquals("intact", j.status().state());
            assertThrows(ConflictException.class, () -> j.acknowledge("admin", "nothing to see"));
        }
    }

    @Test
    void deleting_or_editing_the_damage_record_is_caught_too() throws Exception {
        write(40);
        keepLines(newest(dir()), 2);
        try (Journal j = open()) {
            assertEquals("damaged", j.status().state());
        }
        Files.delete(store.resolve(DamageLog.FILE));
        try (Journal j = open()) {
            assertFalse(j.verify(true).intact());
            assertTrue(j.status().damage().reason().contains("damage record was deleted"), j.status().toString());
        }
        Path f = store.resolve(DamageLog.FILE);
        Files.writeString(f, Files.readString(f).replace("deleted", "removed"));
        try (Journal j = open()) {
            assertEquals("damaged", j.status().state());
            assertTrue(j.status().damage().reason().contains("altered"), j.status().toString());
        }
    }

    @Test
    void an_acknowledgement_needs_a_reason() throws Exception {
        write(10);
        keepLines(newest(dir()), 1);
        try (Journal j = open()) {
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> j.acknowledge("admin", " "));
            assertEquals("reason", e.field());
            assertThrows(InvalidInputException.class, () -> j.acknowledge("admin", "ok\u202e"));
            assertEquals("damaged", j.status().state());
        }
    }
}
