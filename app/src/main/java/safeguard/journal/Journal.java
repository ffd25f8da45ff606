package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.BufferedReader;
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
    private volatile boolean closed;

    private FileChannel channel;
    private Path current;
    private long size;
    private long seq;
    private String prev = GENESIS;

    private record Pending(String action, String event, JsonNode data, CompletableFuture<Written> done) {
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
        try {
            Files.createDirectories(dir);
            List<Path> files = files();
            if (!files.isEmpty()) {
                Path last = files.get(files.size() - 1);
                // The tail of the chain: last line's hash and sequence number.
                String lastLine = null;
                try (BufferedReader r = Files.newBufferedReader(last, StandardCharsets.UTF_8)) {
                    for (String l = r.readLine(); l != null; l = r.readLine()) {
                        if (!l.isBlank()) {
                            lastLine = l;
                        }
                    }
                }
                if (lastLine != null) {
                    prev = sha256(lastLine);
                    seq = Json.mapper().readTree(lastLine).path("seq").asLong();
                } else if (files.size() > 1) {
                    throw new IOException(last + " is empty");
                }
                open(last);
            } else {
                open(dir.resolve(name(1)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the journal in " + dir, e);
        }
        writer = new Thread(this::writeLoop, "journal-writer");
        writer.setDaemon(true);
        writer.start();
    }

    private static String name(int n) {
        return String.format("journal-%06d.jsonl", n);
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
            JournalRecord r = new JournalRecord(++seq, clock.instant().toString(), p.action(), p.event(), p.data(), prev);
            String line = Json.mapper().writeValueAsString(r);
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

    private static int fileNumber(Path file) {
        return Integer.parseInt(file.getFileName().toString().substring(8, 14));
    }

    /** Every record with its position, oldest first (used to rebuild state at start-up). */
    public void replay(Consumer<Written> each) {
        try {
            for (Path f : files()) {
                int n = fileNumber(f);
                byte[] all = Files.readAllBytes(f);
                int start = 0;
                for (int i = 0; i < all.length; i++) {
                    if (all[i] == '\n') {
                        if (i > start) {
                            each.accept(new Written(Json.mapper().readValue(all, start, i - start, JournalRecord.class),
                                    position(n, start)));
                        }
                        start = i + 1;
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the journal", e);
        }
    }

    /** The record at a position {@link #append} or {@link #replay} gave. */
    public JournalRecord read(long position) {
        Path file = dir.resolve(name((int) (position >>> 40)));
        long offset = position & ((1L << 40) - 1);
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

    /** Walks every file and line, checking each line's {@code prev} against the hash of the line before. */
    public ChainReport verify() {
        String expected = GENESIS;
        long count = 0;
        List<Path> files;
        try {
            files = files();
        } catch (IOException e) {
            return new ChainReport(false, 0, 0, null, null, "cannot list the journal: " + e.getMessage());
        }
        for (Path f : files) {
            long lineNo = 0;
            try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                for (String l = r.readLine(); l != null; l = r.readLine()) {
                    lineNo++;
                    if (l.isBlank()) {
                        continue;
                    }
                    JsonNode n;
                    try {
                        n = Json.mapper().readTree(l);
                    } catch (IOException bad) {
                        return new ChainReport(false, count, files.size(), f.getFileName().toString(), lineNo, "line is not JSON");
                    }
                    if (!expected.equals(n.path("prev").asText())) {
                        return new ChainReport(false, count, files.size(), f.getFileName().toString(), lineNo,
                                "prev does not match the hash of the line before: a line was changed, removed or inserted");
                    }
                    expected = sha256(l);
                    count++;
                }
            } catch (IOException e) {
                return new ChainReport(false, count, files.size(), f.getFileName().toString(), lineNo, e.getMessage());
            }
        }
        return new ChainReport(true, count, files.size(), null, null, null);
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
