package safeguard.journal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * What start-up checks before anything new is written: the journal's end against the sealed head. New records
 * re-seal the head, so this is the only moment a cut at the end can be told from a clean end; the full walk of the
 * chain (edits in the middle, which new records cannot hide) follows in the background.
 *
 * <p>Torn bytes at the end are cut only when the head shows the record was never sealed (a crash mid-write: it was
 * never acknowledged); past a sealed record they are damage, kept for forensics, and new records go to a new
 * segment.
 */
final class StartCheck {
    /** Where writing resumes, what was repaired, and the damage found. */
    record Result(int file, long seq, String prev, boolean newSegment, List<String> repairs,
                  List<Journal.Damage> damage) {
    }

    private StartCheck() {
    }

    static Result run(Segments segments, JournalSeal seal, JournalSeal.Head head, boolean headAltered)
            throws IOException {
        List<String> repairs = new ArrayList<>();
        List<Journal.Damage> damage = new ArrayList<>();
        List<Path> files = segments.files();
        if (files.isEmpty()) {
            if (head != null && head.seq() > 0) {
                damage.add(new Journal.Damage(null, null, "every journal segment is gone but the journal was sealed at record "
                        + head.seq() + ": the segments were deleted"));
            }
            return new Result(1, 0, Journal.GENESIS, false, repairs, damage);
        }
        // The last whole record: in the newest segment, or the one before when the newest is empty (a crash right
        // after rotation, or a segment started after damage).
        String lastLine = null;
        Path lastFile = null;
        boolean keepDamaged = false;
        for (int i = files.size() - 1; i >= 0 && lastLine == null; i--) {
            Path f = files.get(i);
            TornTail.Tail t = TornTail.inspect(f);
            if (t.torn()) {
                long wholeSeq = t.lastLine() == null ? previousSeq(files, i) : TornTail.seqOf(t.lastLine());
                if (head == null || head.seq() <= wholeSeq) {
                    repairs.add(TornTail.cut(f, t));
                } else {
                    damage.add(new Journal.Damage(f.getFileName().toString(), null, "the end of the segment was cut inside a record ("
                            + t.why() + ", " + (t.size() - t.wholeSize()) + " bytes) after record " + wholeSeq
                            + ", but the journal was sealed at record " + head.seq() + ": records were cut off the end"));
                    keepDamaged = true;
                }
            }
            if (t.lastLine() != null) {
                lastLine = t.lastLine();
                lastFile = f;
            }
        }
        long lastSeq = lastLine == null ? 0 : TornTail.seqOf(lastLine);
        String lastHash = lastLine == null ? Journal.GENESIS : Journal.sha256(lastLine);
        String lastName = lastFile == null ? files.get(files.size() - 1).getFileName().toString()
                : lastFile.getFileName().toString();
        if (head != null && damage.isEmpty()) {
            if (head.seq() > lastSeq) {
                damage.add(new Journal.Damage(lastName, null, "the journal ends at record " + lastSeq
                        + " but was sealed at record " + head.seq()
                        + ": records were cut off the end or the newest segment was deleted"));
            } else if (head.seq() == lastSeq && !head.hash().equals(lastHash)) {
                damage.add(new Journal.Damage(lastName, null, "the last record differs from the sealed head: it was altered"));
            }
        }
        if (head == null && !headAltered && lastLine != null && seal.check(lastLine) != null) {
            damage.add(new Journal.Damage(JournalSeal.HEAD_FILE, null, "the sealed head (" + JournalSeal.HEAD_FILE
                    + ") is missing: the end of the journal cannot be confirmed (it was deleted)"));
        }
        int newest = Segments.number(files.get(files.size() - 1));
        boolean newSegment = keepDamaged || !damage.isEmpty();
        if (newSegment && Files.size(files.get(files.size() - 1)) == 0) {
            newSegment = false; // already an empty segment to write to
        }
        return new Result(newest, lastSeq, lastHash, newSegment, repairs, damage);
    }

    private static long previousSeq(List<Path> files, int i) throws IOException {
        for (int k = i - 1; k >= 0; k--) {
            TornTail.Tail t = TornTail.inspect(files.get(k));
            if (t.lastLine() != null) {
                return TornTail.seqOf(t.lastLine());
            }
        }
        return 0;
    }
}
