package safeguard.journal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Walks the journal line by line: each line's MAC (the key is not in the journal, so an edit cannot be re-sealed),
 * its sequence number (one more than the line before) and its {@code prev} (the hash of the line before), then
 * compares the end with the sealed head (records cut off the end, a deleted last segment). The first bad line is
 * reported exactly. Segments that are full and unchanged since the last walk (same size and modification time)
 * are not read again; the last one always is.
 */
final class ChainCheck {
    private static final Pattern SEQ = Pattern.compile("^\\{\"seq\":(\\d+),");
    private static final Pattern PREV = Pattern.compile(",\"prev\":\"([0-9a-f]{64})\"(,\"mac\":\"[0-9a-f]{64}\")?}$");

    /** The chain's state at the start of a segment, and the segment's size and time when it was walked. */
    private record Mark(long seq, String hash, boolean sealedSeen, long records, long size, long modified) {
    }

    private final JournalSeal seal;
    private final java.util.function.Supplier<Retention.Anchor> anchor;
    private final Map<Path, Mark> marks = new HashMap<>();

    ChainCheck(JournalSeal seal, java.util.function.Supplier<Retention.Anchor> anchor) {
        this.seal = seal;
        this.anchor = anchor;
    }

    /** Lists the segments (after the head has been read: see {@link #walk}). */
    interface Lister {
        List<Path> files() throws java.io.IOException;
    }

    /**
     * The head is read before the segments are listed and walked: the journal only grows meanwhile, so a walk
     * that ends short of the head means records are really missing, not that they were written during the walk.
     * {@code durableSeq} is the journal's last sealed record, read before everything else.
     */
    synchronized ChainReport walk(long durableSeq, Lister lister, boolean fresh) {
        JournalSeal.Head head;
        try {
            head = seal.head();
        } catch (IllegalStateException altered) {
            return ChainReport.broken(0, 0, JournalSeal.HEAD_FILE, null, altered.getMessage());
        }
        List<Path> files;
        try {
            files = lister.files();
        } catch (java.io.IOException e) {
            return ChainReport.broken(0, 0, null, null, "cannot list the journal: " + e.getMessage());
        }
        if (fresh) {
            marks.clear();
        }
        // Archived segments (see Retention): the live journal links to the sealed anchor, not to the first record.
        Retention.Anchor anchored = anchor.get();
        if (anchored != null) {
            files = files.stream().filter(f -> Segments.number(f) > anchored.segment()).toList();
        }
        long seq = anchored == null ? 0 : anchored.seq();
        String hash = anchored == null ? Journal.GENESIS : anchored.hash();
        String headHash = null; // the hash of the line the head names, when the walk read it
        boolean sealedSeen = false;
        long records = 0;
        int i = 0;
        // Skip the leading segments that are known good and unchanged.
        for (; i < files.size() - 1; i++) {
            Path f = files.get(i);
            Mark start = marks.get(f);
            Mark next = marks.get(files.get(i + 1));
            if (start == null || next == null || start.seq != seq || !start.hash.equals(hash) || !unchanged(f, start)) {
                break;
            }
            seq = next.seq;
            hash = next.hash;
            sealedSeen = next.sealedSeen;
            records = next.records;
        }
        for (; i < files.size(); i++) {
            Path f = files.get(i);
            long[] stat = stat(f);
            marks.put(f, new Mark(seq, hash, sealedSeen, records, stat[0], stat[1]));
            State st = new State(seq, hash, sealedSeen, records, head == null ? -1 : head.seq());
            String name = f.getFileName().toString();
            try {
                SegmentLines.read(f, 0, (buf, from, to, offset) -> st.line(new String(buf, from, to - from, StandardCharsets.UTF_8)));
            } catch (java.nio.channels.ClosedByInterruptException stopped) {
                marks.remove(f);
                throw new Interrupted();
            } catch (IOException e) {
                marks.remove(f);
                return ChainReport.broken(records, files.size(), name, null, "cannot read: " + e);
            }
            if (st.why != null) {
                marks.remove(f);
                return ChainReport.broken(st.records, files.size(), name, st.lineNo, st.why);
            }
            seq = st.seq;
            hash = st.hash;
            sealedSeen = st.sealedSeen;
            records = st.records;
            if (st.atHead != null) {
                headHash = st.atHead;
            }
        }
        String last = files.isEmpty() ? null : files.get(files.size() - 1).getFileName().toString();
        // durableSeq was read before the head: above 0, the writer had sealed a head by then, so it must exist.
        if (head == null && sealedSeen && durableSeq > 0) {
            return ChainReport.broken(records, files.size(), last, null,
                    "the sealed head (" + JournalSeal.HEAD_FILE + ") is missing: the end of the journal cannot be confirmed");
        }
        if (head != null && head.seq() > seq) {
            return ChainReport.broken(records, files.size(), last, null, "the journal ends at record " + seq
                    + " but was sealed at record " + head.seq() + ": records were cut off the end or a segment was deleted");
        }
        if (head != null && headHash != null && !head.hash().equals(headHash)) {
            return ChainReport.broken(records, files.size(), last, null, "the last record differs from the sealed head");
        }
        return new ChainReport(true, records, files.size(), null, null, null, null, null, null);
    }

    /** The check was stopped (the app is shutting down): no verdict, and nothing to mark damaged. */
    static final class Interrupted extends RuntimeException {
        Interrupted() {
            super("journal check interrupted", null, false, false);
        }
    }

    /** The walk through one segment: the chain so far, and the first fault. */
    private final class State {
        long seq;
        String hash;
        boolean sealedSeen;
        long records;
        long lineNo;
        String why;
        final long headSeq;
        String atHead;

        State(long seq, String hash, boolean sealedSeen, long records, long headSeq) {
            this.headSeq = headSeq;
            this.seq = seq;
            this.hash = hash;
            this.sealedSeen = sealedSeen;
            this.records = records;
        }

        boolean line(String line) {
            lineNo++;
            if (line.isBlank()) {
                return true;
            }
            Boolean macOk = seal.check(line);
            if (Boolean.FALSE.equals(macOk)) {
                why = "the line was altered: its MAC does not match its content";
            } else if (macOk == null && sealedSeen) {
                why = "the line carries no MAC after sealed lines: it was inserted or altered";
            }
            long lineSeq = -1;
            String linePrev = null;
            if (why == null) {
                Matcher s = SEQ.matcher(line);
                Matcher p = PREV.matcher(line);
                if (!s.find() || !p.find()) {
                    why = "the line is not a journal record";
                } else {
                    lineSeq = Long.parseLong(s.group(1));
                    linePrev = p.group(1);
                }
            }
            if (why == null && lineSeq != seq + 1) {
                why = "sequence number " + lineSeq + " follows " + seq + ": records were removed, inserted or reordered";
            }
            if (why == null && !linePrev.equals(hash)) {
                why = "prev does not match the hash of the line before: a line was changed, removed or inserted";
            }
            if (why != null) {
                return false;
            }
            sealedSeen |= macOk != null;
            seq = lineSeq;
            hash = Journal.sha256(line);
            records++;
            if (lineSeq == headSeq) {
                atHead = hash;
            }
            return true;
        }
    }

    private static boolean unchanged(Path f, Mark m) {
        long[] s = stat(f);
        return s[0] == m.size && s[1] == m.modified;
    }

    private static long[] stat(Path f) {
        try {
            BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
            return new long[] {a.size(), a.lastModifiedTime().toMillis()};
        } catch (IOException e) {
            return new long[] {-1, -1};
        }
    }
}
