package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.function.Consumer;
import java.util.stream.Stream;
import safeguard.Json;

/**
 * Append-only, hash-chained JSON lines under store/journal/, rotated by size with the chain running on across
 * files. {@link #append} returns once the record is on disk (fsync): concurrent appends share one fsync
 * (group commit), which is what keeps a burst of requests fast.
 */
public final class Journal implements AutoCloseable {
    static final String GENESIS = "0".repeat(64);
    private static final HexFormat HEX = HexFormat.of();

    private final Path dir;
    private final long rotateBytes;
    private final Clock clock;
    private final LinkedBlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final Thread writer;
    private final JournalSeal seal;
    private final ChainCheck chainCheck;
    private final List<String> repairs = new ArrayList<>();
    private volatile Damage damage;
    private volatile ChainReport lastCheck;
    private volatile boolean verifying;
    private volatile boolean closed;
    private volatile End end;

    private FileChannel channel;
    private Path current;
    private long size;
    private long seq;
    private String prev = GENESIS;

    private record Pending(String action, String event, JsonNode data, CompletableFuture<Written> done) {
    }

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

    static long position(int file, long offset) {
        return ((long) file << 40) | offset;
    }

    public Journal(Path dir, long rotateBytes, Clock clock) {
        this.dir = dir;
        this.rotateBytes = rotateBytes;
        this.clock = clock;
        this.seal = JournalSeal.open(dir.toAbsolutePath().getParent());
        this.chainCheck = new ChainCheck(seal);
        try {
            Files.createDirectories(dir);
            List<Path> files = files();
            if (!files.isEmpty()) {
                Path last = files.get(files.size() - 1);
                String lastLine = repairTail(last);
                if (lastLine != null) {
                    prev = sha256(lastLine);
                    seq = Json.mapper().readTree(lastLine).path("seq").asLong();
                    open(last);
                } else if (files.size() > 1) {
                    // An empty last segment (a crash right after rotation): the chain's tail is in the one before.
                    String before = repairTail(files.get(files.size() - 2));
                    if (before != null) {
                        prev = sha256(before);
                        seq = Json.mapper().readTree(before).path("seq").asLong();
                    }
                    open(last);
                } else {
                    open(last);
                }
            } else {
                open(dir.resolve(name(1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir, e);
        }
        end = new End(position(fileNumber(current), size), seq, prev);
        writer = new Thread(this::writeLoop, "journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static String name(int n) {
        return String.format("journal-%06d.jsonl", n);
    }

    private String repairTail(Path file) throws IOException {
        return TornTail.repair(file, repairs::add);
    }

    /** What start-up repaired (torn records cut off the end), for health and the tab. */
    public List<String> repairs() {
        return List.copyOf(repairs);
    }

    /** The first record that could not be read or applied at start (null: none). */
    public Damage damage() {
        return damage;
    }

    private void damaged(Damage d) {
        synchronized (repairs) {
            if (damage != null) {
                return;
            }
            damage = d;
        }
        org.slf4j.LoggerFactory.getLogger(Journal.class).error("journal damaged: {} line {}: {}; new records go to a new segment",
                d.file(), d.line(), d.reason());
        if (!closed) {
            startNewSegment();
        }
    }

    /** The journal's state for health and the tab. */
    public JournalStatus status() {
        ChainReport check = lastCheck;
        String state = damage != null || (check != null && !check.intact()) ? "damaged"
                : check == null || verifying ? "verifying" : "intact";
        return new JournalStatus(state, check, repairs(), damage, current.getFileName().toString());
    }

    /** Where the journal ends now (see {@link End}). */
    public End end() {
        return end;
    }

    private void open(Path file) throws IOException {
        current = file;
        channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        size = channel.size();
    }

    List<Path> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().matches("journal-\\d{6}\\.jsonl")).sorted().toList();
        }
    }

    public boolean isClosed() {
        return closed;
    }

    /** Writes the record and returns it, with its position, once it is durable. */
    public Written append(String action, String event, JsonNode data) {
        CompletableFuture<Written> done = new CompletableFuture<>();
        if (closed) {
            throw new IllegalStateException("journal closed");
        }
        queue.add(new Pending(action, event, data, done));
        try {
            return done.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling", e);
        } catch (ExecutionException e) {
            throw new UncheckedIOException("journal write failed", new IOException(e.getCause()));
        }
    }

    private void writeLoop() {
        List<Pending> batch = new ArrayList<>();
        while (!closed || !queue.isEmpty()) {
            try {
                Pending first = queue.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, 4096);
                List<Written> written = new ArrayList<>(batch.size());
                ByteBuffer out = encode(batch, written);
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                channel.force(false);
                seal.head(seq, prev);
                if (rotateAfter) {
                    rotateAfter = false;
                    if (size > 0) {
                        channel.close();
                        open(dir.resolve(name(fileNumber(current) + 1)));
                    }
                }
                end = new End(position(fileNumber(current), size), seq, prev);
                for (int i = 0; i < batch.size(); i++) {
                    batch.get(i).done().complete(written.get(i));
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (IOException | RuntimeException e) {
                batch.forEach(p -> p.done().completeExceptionally(e));
            } finally {
                batch.clear();
            }
        }
    }

    /** Serialises a batch, rotating to a new file when the current one is full (fsyncing the old one first). */
    private ByteBuffer encode(List<Pending> batch, List<Written> written) throws IOException {
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        for (Pending p : batch) {
            if (p.event() == null) { // a request for a new segment: see startNewSegment
                rotateAfter = true;
                written.add(null);
                continue;
            }
            JournalRecord unsealed = new JournalRecord(++seq, clock.instant().toString(), p.action(), p.event(), p.data(), prev, null);
            String body = Json.mapper().writeValueAsString(unsealed);
            String line = seal.seal(body);
            JournalRecord r = new JournalRecord(unsealed.seq(), unsealed.time(), unsealed.action(), unsealed.event(),
                    unsealed.data(), unsealed.prev(), line.substring(line.length() - 66, line.length() - 2));
            byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
            if (size + bytes.size() + b.length > rotateBytes && size + bytes.size() > 0) {
                ByteBuffer pending = ByteBuffer.wrap(bytes.toByteArray());
                while (pending.hasRemaining()) {
                    channel.write(pending);
                }
                channel.force(false);
                channel.close();
                int n = fileNumber(current) + 1;
                open(dir.resolve(name(n)));
                bytes.reset();
            }
            long at = position(fileNumber(current), size + bytes.size());
            bytes.write(b);
            prev = sha256(line);
            written.add(new Written(r, at));
        }
        size += bytes.size();
        return ByteBuffer.wrap(bytes.toByteArray());
    }

    private boolean rotateAfter;

    /**
     * Future records go to a new segment: a damaged one is kept as it is, for forensics. The chain runs on, so
     * verification still shows where the damage is.
     */
    public void startNewSegment() {
        CompletableFuture<Written> done = new CompletableFuture<>();
        queue.add(new Pending(null, null, null, done));
        if (Thread.currentThread() != writer) {
            try {
                done.get(10, java.util.concurrent.TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (ExecutionException | java.util.concurrent.TimeoutException e) {
                org.slf4j.LoggerFactory.getLogger(Journal.class).warn("could not start a new journal segment: {}", e.toString());
            }
        }
    }

    private static int fileNumber(Path file) {
        return Integer.parseInt(file.getFileName().toString().substring(8, 14));
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
        int fromFile = (int) (from >>> 40);
        long fromOffset = from & OFFSET_MASK;
        try {
            for (Path f : files()) {
                int n = fileNumber(f);
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
                        damaged(damageAt(fileName, startAt, lineNo[0], offset, "the record is not readable JSON"));
                        return true;
                    }
                    try {
                        each.accept(new Written(r, position(n, offset)));
                    } catch (RuntimeException unusable) {
                        damaged(damageAt(fileName, startAt, lineNo[0], offset, "the record cannot be applied: " + unusable.getMessage()));
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
        try {
            return files().stream().map(Journal::fileNumber).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the journal", e);
        }
    }

    /** The raw lines of one segment, oldest first, with their positions (a missing segment has none). */
    public void lines(int segment, Consumer<Line> each) {
        lines(segment, List.of(), each);
    }

    /**
     * The lines of a segment that contain one of {@code needles} (all lines when there are none): only those are
     * decoded, so picking a few records out of a 16 MB segment costs one read and one byte scan.
     */
    public void lines(int segment, List<String> needles, Consumer<Line> each) {
        List<byte[]> ns = needles.stream().map(n -> n.getBytes(StandardCharsets.UTF_8)).toList();
        Path f = dir.resolve(name(segment));
        try {
            SegmentLines.read(f, 0, (buf, from, to, offset) -> {
                if (to > from && (ns.isEmpty() || containsAny(buf, from, to, ns))) {
                    each.accept(new Line(position(segment, offset), new String(buf, from, to - from, StandardCharsets.UTF_8)));
                }
                return true;
            });
        } catch (java.nio.file.NoSuchFileException gone) {
            // a segment deleted under us: nothing to read
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

    /** The time of a segment's first record (null when it has none), for finding the segment an old action is in. */
    public java.time.Instant firstTime(int segment) {
        try (java.io.BufferedReader r = Files.newBufferedReader(dir.resolve(name(segment)), StandardCharsets.UTF_8)) {
            String line = r.readLine();
            return line == null ? null : java.time.Instant.parse(Json.mapper().readTree(line).path("time").asText());
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** The record of a raw line from {@link #lines}. */
    public static JournalRecord parse(String line) {
        try {
            return Json.mapper().readValue(line, JournalRecord.class);
        } catch (IOException e) {
            throw new UncheckedIOException("not a journal record", e);
        }
    }

    static final long OFFSET_MASK = (1L << 40) - 1;

    /** The record at a position {@link #append} or {@link #replay} gave. */
    public JournalRecord read(long position) {
        Path file = dir.resolve(name((int) (position >>> 40)));
        long offset = position & OFFSET_MASK;
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

    /** The first record at or after a position (the next segment's first when the position ends a segment), or null. */
    public JournalRecord readFirstFrom(long position) {
        int file = (int) (position >>> 40);
        long offset = position & OFFSET_MASK;
        try {
            for (Path f : files()) {
                int n = fileNumber(f);
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

    /** Checks the whole chain now, reading every segment again. */
    public ChainReport verify() {
        return verify(true);
    }

    /**
     * Checks every line's MAC, sequence number and link, and the end against the sealed head. Without
     * {@code fresh}, full segments unchanged since the last check are not read again. A broken chain marks the
     * journal damaged (new records then go to a new segment).
     */
    public ChainReport verify(boolean fresh) {
        verifying = true;
        try {
            ChainReport r;
            try {
                r = chainCheck.walk(end.seq(), this::files, fresh).at(clock.instant().toString());
            } catch (ChainCheck.Interrupted stopped) {
                ChainReport last = lastCheck;
                return last != null ? last : new ChainReport(true, 0, 0, null, null,
                        "the check was interrupted before it finished", null);
            }
            lastCheck = r;
            if (!r.intact()) {
                damaged(new Damage(r.brokenAtFile(), r.brokenAtLine(), r.reason()));
            }
            return r;
        } finally {
            verifying = false;
        }
    }

    /**
     * Writes a file beside the journal (a checkpoint), sealed with the journal's key so that an edited copy is
     * refused when read back; atomic (a crash leaves the old one or the new one).
     */
    public void writeSidecar(String fileName, byte[] body) {
        seal.writeSealed(dir.resolveSibling(fileName), body);
    }

    /** A sidecar's body, or null when it is missing, unreadable or does not carry a valid seal. */
    public byte[] readSidecar(String fileName) {
        return seal.readSealed(dir.resolveSibling(fileName));
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
        closed = true;
        try {
            writer.join(5_000);
            channel.close();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException ignored) {
            // closing after a final fsync; nothing left to lose
        }
    }
}
