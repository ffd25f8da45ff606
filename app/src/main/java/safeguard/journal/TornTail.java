package safeguard.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import safeguard.Json;

/**
 * A segment's end as start-up finds it: the last whole record, and what follows it when a write was torn (bytes
 * without a newline, or a last line that is not JSON). Whether that tail may be cut is the caller's decision: only
 * a record the sealed head never covered was never acknowledged (see {@link StartCheck}).
 */
final class TornTail {
    /** The last whole line (null: none), the size the file would have without the torn bytes, and why they are torn. */
    record Tail(String lastLine, long wholeSize, long size, String why) {
        boolean torn() {
            return wholeSize < size;
        }
    }

    private TornTail() {
    }

    static Tail inspect(Path file) throws IOException {
        long fileSize = Files.size(file);
        // Only the end is read: records are far smaller than the window, and the segment may be 16 MB.
        int window = (int) Math.min(fileSize, 1 << 20);
        long base = fileSize - window;
        byte[] all = new byte[window];
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer b = ByteBuffer.wrap(all);
            while (b.hasRemaining() && ch.read(b, base + b.position()) > 0) {
                // fill the window
            }
        }
        int end = all.length;
        String why = null;
        while (true) {
            int lastNl = end - 1;
            while (lastNl >= 0 && all[lastNl] != '\n') {
                lastNl--;
            }
            if (lastNl < end - 1) { // bytes after the last newline: a torn record
                if (lastNl < 0 && base > 0) {
                    throw new IOException(file + " ends with over 1 MB without a line break");
                }
                why = why == null ? "no end of line" : why;
                end = lastNl + 1;
                continue;
            }
            if (end == 0) {
                return new Tail(null, base, fileSize, why);
            }
            int start = lastNl - 1;
            while (start >= 0 && all[start] != '\n') {
                start--;
            }
            if (start < 0 && base > 0) {
                throw new IOException(file + " has a last line over 1 MB long");
            }
            String line = new String(all, start + 1, lastNl - start - 1, StandardCharsets.UTF_8);
            if (line.isBlank()) {
                end = start + 1;
                continue;
            }
            try {
                Json.mapper().readTree(line).path("seq").asLong();
                return new Tail(line, base + end, fileSize, why);
            } catch (IOException notJson) {
                why = why == null ? "not JSON" : why;
                end = start + 1;
            }
        }
    }

    /** Cuts the torn bytes off and says so. */
    static String cut(Path file, Tail t) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(t.wholeSize());
            ch.force(true);
        }
        String what = "torn last record (" + t.why() + ") cut from " + file.getFileName() + ": "
                + (t.size() - t.wholeSize()) + " bytes";
        org.slf4j.LoggerFactory.getLogger(Journal.class).warn("journal repaired at start: {}", what);
        return what;
    }

    static long seqOf(String line) {
        try {
            return Json.mapper().readTree(line).path("seq").asLong();
        } catch (IOException e) {
            return 0;
        }
    }
}
