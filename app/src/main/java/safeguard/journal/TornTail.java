package safeguard.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import safeguard.Json;

/** Start-up's repair of a segment's end after a crash mid-write. */
final class TornTail {
    private TornTail() {
    }

    /**
     * A crash mid-write can leave a torn last record (no newline, or not JSON): it never reached the caller as
     * written, so it is cut off, and the cut is reported. Returns the last whole line, or null for an empty file.
     */
    static String repair(Path file, java.util.function.Consumer<String> reported) throws IOException {
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
        while (true) {
            int lastNl = end - 1;
            while (lastNl >= 0 && all[lastNl] != '\n') {
                lastNl--;
            }
            if (lastNl < end - 1) { // bytes after the last newline: a torn record
                if (lastNl < 0 && base > 0) {
                    throw new IOException(file + " ends with over 1 MB without a line break");
                }
                cut(reported, file, base + end, base + lastNl + 1, "no end of line");
                end = lastNl + 1;
                continue;
            }
            if (end == 0) {
                return null;
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
                return line;
            } catch (IOException notJson) {
                cut(reported, file, base + end, base + start + 1, "not JSON");
                end = start + 1;
            }
        }
    }

    private static void cut(java.util.function.Consumer<String> reported, Path file, long size, long to, String why)
            throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
            ch.truncate(to);
            ch.force(true);
        }
        String what = "torn last record (" + why + ") cut from " + file.getFileName() + ": " + (size - to) + " bytes";
        reported.accept(what);
        org.slf4j.LoggerFactory.getLogger(Journal.class).warn("journal repaired at start: {}", what);
    }
}
