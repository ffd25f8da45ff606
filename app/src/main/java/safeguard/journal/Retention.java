package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import safeguard.Json;
import safeguard.store.Permissions;

/**
 * Segments older than the retention period leave the live journal only once the actions checkpoint covers them
 * (start-up never needs them again): each is compressed into {@code journal/archive/} and the chain's state at its
 * end is sealed in {@code journal-anchor.json}, so the walk over the live segments starts from that anchor instead
 * of from the first record ever, and an archived segment can still be checked against it (its last line's hash).
 * Deleting old segments without a matching anchor still breaks the chain where the live journal starts.
 */
final class Retention {
    static final String ANCHOR = "journal-anchor.json";

    /** The chain's state where the live journal starts: the last archived segment, its last seq and line hash. */
    record Anchor(int segment, long seq, String hash) {
    }

    private final Segments segments;
    private final JournalSeal seal;
    private final Path anchorFile;

    Retention(Segments segments, JournalSeal seal) {
        this.segments = segments;
        this.seal = seal;
        this.anchorFile = segments.dir().resolveSibling(ANCHOR);
    }

    /** The sealed anchor, or null when nothing was ever archived (or the file does not carry a valid seal). */
    Anchor anchor() {
        byte[] b = seal.readSealed(anchorFile);
        if (b == null) {
            return null;
        }
        try {
            JsonNode n = Json.mapper().readTree(b);
            return new Anchor(n.path("segment").asInt(), n.path("seq").asLong(), n.path("hash").asText());
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Archives every segment before the one holding {@code covered} (a checkpoint's position: everything before it
     * is in the checkpoint) whose last record is older than {@code now - keep}; never the newest segment. Returns
     * the archived file names.
     */
    List<String> archive(long covered, Instant now, Duration keep) throws IOException {
        List<String> done = new ArrayList<>();
        List<Path> files = segments.files();
        int coveredFile = Segments.fileOf(covered);
        for (int i = 0; i < files.size() - 1; i++) {
            Path f = files.get(i);
            int n = Segments.number(f);
            if (n >= coveredFile) {
                break;
            }
            Instant last = segments.lastTime(f);
            if (last == null || !last.isBefore(now.minus(keep))) {
                break; // segments are in time order: the rest are younger
            }
            TornTail.Tail t = TornTail.inspect(f);
            if (t.torn() || t.lastLine() == null) {
                break; // a damaged or empty segment stays where it is, for forensics
            }
            Path dir = Permissions.ownerOnlyFolder(segments.dir().resolve("archive"));
            Path gz = dir.resolve(f.getFileName() + ".gz");
            Path tmp = dir.resolve(f.getFileName() + ".gz.tmp");
            try (InputStream in = Files.newInputStream(f);
                 OutputStream out = new GZIPOutputStream(Files.newOutputStream(tmp))) {
                in.transferTo(out);
            }
            Permissions.ownerOnly(tmp);
            try (var ch = java.nio.channels.FileChannel.open(tmp, java.nio.file.StandardOpenOption.WRITE)) {
                ch.force(true);
            }
            Files.move(tmp, gz, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            // The anchor moves first: a crash before the delete leaves a segment the walk skips as archived.
            seal.writeSealed(anchorFile, Json.mapper().writeValueAsBytes(new Anchor(n, TornTail.seqOf(t.lastLine()),
                    Journal.sha256(t.lastLine()))));
            Files.delete(f);
            done.add(f.getFileName().toString());
        }
        return done;
    }
}
