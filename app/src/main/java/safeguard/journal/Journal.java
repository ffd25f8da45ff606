package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Consumer;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.store.Permissions;

/**
 * Append-only, hash-chained JSON lines under store/journal/, rotated by size with the chain running on across
 * files. {@link #append} returns once the record is on disk (fsync): concurrent appends share one fsync (group
 * commit: {@link JournalWriter}). Before anything new is written, start-up compares the journal's end with the
 * sealed head ({@link StartCheck}); damage found then or later is kept until an admin acknowledges it
 * ({@link JournalHealth}, {@link DamageLog}). Segment files and positions: {@link Segments}.
 */
public final class Journal implements AutoCloseable {
    static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private final Segments segments;
    private final Clock clock;
    private final JournalSeal seal;
    private final JournalHealth health;
    private final JournalWriter writer;
    private final Retention retention;
    private final Duration keep;

    /** The first record the journal could not read, apply or verify: where, and why. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record Damage(String file, Long line, String reason) {
    }

    /**
     * Where the journal ends: the position the next record will take, the last record's sequence number and the
     * hash of its line. A checkpoint taken at an end knows exactly where to pick up.
     */
    public record End(long position, long seq, String hash) {
    }

    /** One raw line with its position, for readers that pick a few records out of many without parsing them all. */
    public record Line(long position, String text) {
    }

    /**
     * A record and where it is: file number and byte offset packed in one long, so an index of every record
     * stays small in memory and {@link #read} fetches the record itself when it is wanted.
     */
    public record Written(JournalRecord record, long position) {
    }

    /**
     * Where a test makes the disk fail: called with "write", "force" and "undo" before each of those steps, and
     * with "seal" before the head is sealed after a durable batch.
     */
    @FunctionalInterface
    public interface Faults {
        Faults NONE = step -> { };

        void at(String step) throws IOException;
    }

    /**
     * {@code queueCapacity}: records waiting to be written before callers get 503; {@code appendTimeout}: how long
     * a caller waits for its record to be taken.
     */
    public record Options(int queueCapacity, Duration appendTimeout, Faults faults, Duration retention) {
        public static final Duration RETENTION = Duration.ofDays(400);
        public static final Options DEFAULTS = new Options(8_192, Duration.ofSeconds(10), Faults.NONE, RETENTION);

        public Options(int queueCapacity, Duration appendTimeout, Faults faults) {
            this(queueCapacity, appendTimeout, faults, RETENTION);
        }
    }

    static long position(int file, long offset) {
        return Segments.position(file, offset);
    }

    public Journal(Path dir, long rotateBytes, Clock clock) {
        this(dir, rotateBytes, clock, Options.DEFAULTS);
    }

    public Journal(Path dir, long rotateBytes, Clock clock, Options options) {
        this.segments = new Segments(dir);
        this.clock = clock;
        Path storeDir = dir.toAbsolutePath().getParent();
        this.seal = JournalSeal.open(storeDir);
        this.retention = new Retention(segments, seal);
        this.keep = options.retention();
        try {
            Permissions.ownerOnlyFolder(dir);
            List<Damage> found = new ArrayList<>();
            JournalSeal.Head head = null;
            boolean headAltered = false;
            try {
                head = seal.head();
            } catch (IllegalStateException altered) {
                headAltered = true;
                found.add(new Damage(JournalSeal.HEAD_FILE, null, altered.getMessage()));
            }
            DamageLog damageLog = DamageLog.open(seal, storeDir, head == null ? -1 : head.damage(), found);
            StartCheck.Result start = StartCheck.run(segments, seal, head, headAltered);
            found.addAll(start.damage());
            this.health = new JournalHealth(new ChainCheck(seal, retention::anchor), damageLog, clock, start.repairs());
            List<Damage> fresh = new ArrayList<>();
            for (Damage d : found) {
                if (health.damaged(d)) {
                    fresh.add(d);
                }
            }
            boolean newJournal = head == null && !headAltered && start.seq() == 0;
            writer = new JournalWriter(segments, seal, clock, rotateBytes, options, damageLog::count, start.file(),
                    start.seq(), start.prev(), start.newSegment());
            if (newJournal || !found.isEmpty()) {
                // A new journal gets its head at once (durably), so a missing head always means a deleted one; after
                // damage the head is re-sealed at the end writing resumes from, counting the findings.
                seal.head(start.seq(), start.prev(), damageLog.count(), true);
            }
            health.onNewDamage(d -> {
                writer.startNewSegment();
                recordFinding(d);
            });
            fresh.forEach(this::recordFinding);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir, e);
        }
    }

    /** A finding goes into the journal too, so its timeline shows when damage was found. */
    private void recordFinding(Damage d) {
        try {
            writer.append(null, "journal-damage", Json.mapper().valueToTree(d));
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Journal.class).warn("could not journal a damage finding: {}", e.toString());
        }
    }

    /** What start-up repaired (torn records the head never sealed, cut off the end), for health and the tab. */
    public List<String> repairs() {
        return health.repairs();
    }

    /** The first damage finding no admin has acknowledged (null: none). */
    public Damage damage() {
        return health.firstOpen();
    }

    /** The journal's state for health and the tab. */
    public JournalStatus status() {
        return health.status(writer);
    }

    /** Where the journal ends now (see {@link End}). */
    public End end() {
        return writer.end();
    }

    public boolean isClosed() {
        return writer.closed();
    }

    /**
     * Writes the record and returns it, with its position, once it is durable. A full queue, a caller's wait past
     * the timeout and a read-only journal throw {@link safeguard.UnavailableException} (nothing was written).
     */
    public Written append(String action, String event, JsonNode data) {
        return writer.append(action, event, data);
    }

    int queued() {
        return writer.queued();
    }

    /** Future records go to a new segment: a damaged one is kept as it is, for forensics. */
    public void startNewSegment() {
        writer.startNewSegment();
    }

    /** Every record with its position, oldest first (used to rebuild state when there is no checkpoint). */
    public void replay(Consumer<Written> each) {
        replay(0, each);
    }

    /**
     * Every record at or after {@code from} (a position from {@link #end} or {@link #append}), oldest first. A record
     * that cannot be read or applied does not stop start-up: it is skipped and the journal is marked damaged there.
     */
    public void replay(long from, Consumer<Written> each) {
        int fromFile = Segments.fileOf(from);
        long fromOffset = Segments.offsetOf(from);
        try {
            for (Path f : segments.files()) {
                int n = Segments.number(f);
                if (n < fromFile) {
                    continue;
                }
                long[] lineNo = {0};
                String fileName = f.getFileName().toString();
                // From a checkpoint the read starts at its position: line numbers then count from there.
                long startAt = n == fromFile ? fromOffset : 0;
                SegmentLines.read(f, startAt, (buf, lo, hi, offset) -> {
                    lineNo[0]++;
                    if (hi == lo) {
                        return true;
                    }
                    JournalRecord r;
                    try {
                        r = Json.mapper().readValue(buf, lo, hi - lo, JournalRecord.class);
                    } catch (IOException bad) {
                        health.damaged(damageAt(fileName, startAt, lineNo[0], offset, "the record is not readable JSON"));
                        return true;
                    }
                    try {
                        each.accept(new Written(r, position(n, offset)));
                    } catch (RuntimeException unusable) {
                        health.damaged(damageAt(fileName, startAt, lineNo[0], offset, "the record cannot be applied: " + unusable.getMessage()));
                    }
                    return true;
                });
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal", e);
        }
    }

    private static Damage damageAt(String file, long startAt, long lineNo, long offset, String why) {
        return startAt == 0 ? new Damage(file, lineNo, why) : new Damage(file, null, why + " (at byte " + offset + ")");
    }

    /** The segments' numbers, oldest first. */
    public List<Integer> segments() {
        return segments.numbers();
    }

    /** The raw lines of one segment, oldest first, with their positions (a missing segment has none). */
    public void lines(int segment, Consumer<Line> each) {
        segments.lines(segment, List.of(), each);
    }

    /**
     * The lines of a segment that contain one of {@code needles} (all lines when there are none): only those are
     * decoded, so picking a few records out of a 16 MB segment costs one read and one byte scan.
     */
    public void lines(int segment, List<String> needles, Consumer<Line> each) {
        segments.lines(segment, needles, each);
    }

    /** The time of a segment's first record (null when it has none), for finding the segment an old action is in. */
    public java.time.Instant firstTime(int segment) {
        return segments.firstTime(segment);
    }

    /** The record of a raw line from {@link #lines}. */
    public static JournalRecord parse(String line) {
        try {
            return Json.mapper().readValue(line, JournalRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a journal record", e);
        }
    }

    /** The record at a position {@link #append} or {@link #replay} gave. */
    public JournalRecord read(long position) {
        return segments.read(position);
    }

    /** The first record at or after a position (the next segment's first when the position ends a segment), or null. */
    public JournalRecord readFirstFrom(long position) {
        return segments.readFirstFrom(position);
    }

    /** Checks the whole chain now, reading every segment again. */
    public ChainReport verify() {
        return verify(true);
    }

    /**
     * Checks every line's MAC, sequence number and link, and the end against the sealed head. Without
     * {@code fresh}, full segments unchanged since the last check are not read again. A broken chain is a damage
     * finding (new records then go to a new segment); every finding no admin acknowledged is reported, also when
     * the chain now reads consistent.
     */
    public ChainReport verify(boolean fresh) {
        return health.verify(writer.end().seq(), segments::files, fresh);
    }

    /**
     * An admin's acknowledgement of every open damage finding, with a reason: journaled, kept in the damage
     * record, and from then on the findings are history rather than an alarm. Nothing open: a 409.
     */
    public JournalStatus acknowledge(String by, String reason) {
        if (reason == null || reason.isBlank()) {
            throw new InvalidInputException("reason", "reason is required: say what was found and what was done about it");
        }
        if (reason.length() > 1_000 || reason.chars().anyMatch(c -> Character.isISOControl(c)
                || Character.getType(c) == Character.FORMAT)) {
            throw new InvalidInputException("reason", "reason must be at most 1000 characters, without control or bidi characters");
        }
        if (health.firstOpen() == null) {
            throw new safeguard.ConflictException(null, "there is no open damage finding to acknowledge");
        }
        List<DamageFinding> done = health.acknowledge(by, reason.strip());
        writer.append(null, "journal-damage-acknowledged", Json.mapper().createObjectNode()
                .put("by", by).put("reason", reason.strip()).set("findings", Json.mapper().valueToTree(done)));
        verify(false);
        return status();
    }

    /**
     * Archives the segments older than the retention period that lie wholly before {@code covered} (a position a
     * checkpoint reflects: start-up no longer needs them); see {@link Retention}. Returns the archived files.
     */
    public List<String> archive(long covered) {
        return archive(covered, keep);
    }

    /** As {@link #archive(long)}, keeping {@code keep} (the admin's setting, read at each checkpoint). */
    public List<String> archive(long covered, Duration keep) {
        try {
            List<String> done = retention.archive(covered, clock.instant(), keep);
            if (!done.isEmpty()) {
                org.slf4j.LoggerFactory.getLogger(Journal.class).info("journal segments archived (older than {} days): {}",
                        keep.toDays(), done);
            }
            return done;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot archive journal segments", e);
        }
    }

    /**
     * Writes a file beside the journal (a checkpoint), sealed with the journal's key so that an edited copy is
     * refused when read back; atomic (a crash leaves the old one or the new one).
     */
    public void writeSidecar(String fileName, byte[] body) {
        seal.writeSealed(segments.dir().resolveSibling(fileName), body);
    }

    /** A sidecar's body, or null when it is missing, unreadable or does not carry a valid seal. */
    public byte[] readSidecar(String fileName) {
        return seal.readSealed(segments.dir().resolveSibling(fileName));
    }

    static String sha256(String line) {
        try {
            return HEX.formatHex(MessageDigest.getInstance("SHA-256").digest(line.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        writer.close();
    }
}
