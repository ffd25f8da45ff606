package safeguard.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import safeguard.Json;

/**
 * The journal's segment files ({@code journal-000001.jsonl}, …) and positions in them: a file number and a byte
 * offset packed in one long, so an index of every record stays small and a record is fetched when it is wanted.
 * Reading only: the writer appends ({@link JournalWriter}).
 */
final class Segments {
    static final long OFFSET_MASK = (1L << 40) - 1;
    private static final String PATTERN = "journal-\\d{6}\\.jsonl";

    private final Path dir;

    Segments(Path dir) {
        this.dir = dir;
    }

    Path dir() {
        return dir;
    }

    static String name(int n) {
        return String.format("journal-%06d.jsonl", n);
    }

    static int number(Path file) {
        return Integer.parseInt(file.getFileName().toString().substring(8, 14));
    }

    static long position(int file, long offset) {
        return ((long) file << 40) | offset;
    }

    static int fileOf(long position) {
        return (int) (position >>> 40);
    }

    static long offsetOf(long position) {
        return position & OFFSET_MASK;
    }

    Path file(int n) {
        return dir.resolve(name(n));
    }

    /** The segment files, oldest first (archived ones are not among them: see {@link Retention}). */
    List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches(PATTERN)).sorted().toList();
        }
    }

    List<Integer> numbers() {
        try {
            return files().stream().map(Segments::number).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal", e);
        }
    }

    /** The record at a position. */
    JournalRecord read(long position) {
        Path file = file(fileOf(position));
        long offset = offsetOf(position);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer buf = ByteBuffer.allocate(8192);
            java.io.ByteArrayOutputStream line = new java.io.ByteArrayOutputStream();
            long at = offset;
            while (true) {
                buf.clear();
                int n = ch.read(buf, at);
                if (n <= 0) {
                    break;
                }
                for (int i = 0; i < n; i++) {
                    byte b = buf.get(i);
                    if (b == '\n') {
                        return Json.mapper().readValue(line.toByteArray(), JournalRecord.class);
                    }
                    line.write(b);
                }
                at += n;
            }
            return Json.mapper().readValue(line.toByteArray(), JournalRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal at " + file + ":" + offset, e);
        }
    }

    /** The first record at or after a position (the next segment's first when the position ends one), or null. */
    JournalRecord readFirstFrom(long position) {
        int file = fileOf(position);
        long offset = offsetOf(position);
        try {
            for (Path f : files()) {
                int n = number(f);
                if (n < file) {
                    continue;
                }
                long at = n == file ? offset : 0;
                if (at < Files.size(f)) {
                    return read(position(n, at));
                }
            }
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal", e);
        }
    }

    /**
     * The lines of a segment that contain one of {@code needles} (all lines when there are none): only those are
     * decoded, so picking a few records out of a 16 MB segment costs one read and one byte scan.
     */
    void lines(int segment, List<String> needles, Consumer<Journal.Line> each) {
        List<byte[]> ns = needles.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
        Path f = file(segment);
        try {
            SegmentLines.read(f, 0, (buf, from, to, offset) -> {
                if (to > from && (ns.isEmpty() || containsAny(buf, from, to, ns))) {
                    each.accept(new Journal.Line(position(segment, offset), new String(buf, from, to - from, StandardCharsets.UTF_8)));
                }
                return true;
            });
        } catch (java.nio.file.NoSuchFileException gone) {
            // a segment deleted (or archived) under us: nothing to read
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + f, e);
        }
    }

    private static boolean containsAny(byte[] all, int from, int to, List<byte[]> needles) {
        for (byte[] n : needles) {
            outer:
            for (int i = from; i <= to - n.length; i++) {
                for (int k = 0; k < n.length; k++) {
                    if (all[i + k] != n[k]) {
                        continue outer;
                    }
                }
                return true;
            }
        }
        return false;
    }

    /** The time of a segment's first record (null when it has none). */
    Instant firstTime(int segment) {
        try (java.io.BufferedReader r = Files.newBufferedReader(file(segment), StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line == null ? null : Instant.parse(Json.mapper().readTree(line).path("time").asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The time of a segment's last record (null when it has none or it cannot be read). */
    Instant lastTime(Path file) {
        try {
            TornTail.Tail t = TornTail.inspect(file);
            return t.lastLine() == null ? null : Instant.parse(Json.mapper().readTree(t.lastLine()).path("time").asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
