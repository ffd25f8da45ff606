package safeguard.journal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Reads a segment's lines through one small buffer, so reading a 16 MB segment never needs 16 MB of heap (nor
 * the JDK's per-thread direct-buffer copy of that size): replay, the chain check and history reads can run side by
 * side within the app's 96 MB heap.
 */
final class SegmentLines {
    static final int BUFFER = 256 * 1024;

    /** Gets each line (without its newline) as bytes [from, to) of {@code buf}, with the line's offset in the file. */
    @FunctionalInterface
    interface Visitor {
        /** Returns false to stop reading. */
        boolean line(byte[] buf, int from, int to, long offset);
    }

    private SegmentLines() {
    }

    /** Visits the complete lines from {@code start}; bytes after the last newline (a torn record) are not visited. */
    static void read(Path file, long start, Visitor v) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            byte[] buf = new byte[BUFFER];
            int filled = 0;
            long bufOffset = start; // file offset of buf[0]
            long at = start;
            while (true) {
                if (filled == buf.length) { // one line longer than the buffer: grow for it
                    buf = java.util.Arrays.copyOf(buf, buf.length * 2);
                }
                int n = ch.read(ByteBuffer.wrap(buf, filled, Math.min(buf.length - filled, 64 * 1024)), at);
                if (n <= 0) {
                    return;
                }
                at += n;
                int scanFrom = filled;
                filled += n;
                int lineStart = 0;
                for (int i = scanFrom; i < filled; i++) {
                    if (buf[i] == '\n') {
                        if (!v.line(buf, lineStart, i, bufOffset + lineStart)) {
                            return;
                        }
                        lineStart = i + 1;
                    }
                }
                // keep the partial line at the front
                System.arraycopy(buf, lineStart, buf, 0, filled - lineStart);
                filled -= lineStart;
                bufOffset += lineStart;
                if (buf.length > BUFFER && filled < BUFFER / 2) {
                    buf = java.util.Arrays.copyOf(buf, BUFFER);
                }
            }
        }
    }
}
