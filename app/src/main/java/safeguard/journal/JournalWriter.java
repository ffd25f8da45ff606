package safeguard.journal;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.UnavailableException;
import safeguard.store.Permissions;

/**
 * The group-commit writer: one thread takes every waiting record, writes them in one go and fsyncs once. The
 * chain's state ({@code seq}, {@code prev}, the segment's size) moves on only after that fsync, so a failed write
 * leaves the journal exactly where it was (its bytes cut off again) and the next batch links to the last durable
 * record; a batch that was forced is reported written whatever fails after (sealing the head, rotating). The queue
 * is bounded and a caller waits a bounded time: a full queue or a stalled disk answers 503 with Retry-After, never
 * a hung request thread. Anything the writer cannot recover from (an Error, a write it cannot undo) turns the
 * journal read-only, visibly, instead of leaving callers waiting.
 */
final class JournalWriter {
    private static final Logger LOG = LoggerFactory.getLogger(JournalWriter.class);
    private static final int QUEUED = 0;
    private static final int CLAIMED = 1;
    private static final int ABANDONED = 2;
    private static final int MAX_BATCH = 4096;

    private final Segments segments;
    private final JournalSeal seal;
    private final Clock clock;
    private final long rotateBytes;
    private final Journal.Options options;
    private final java.util.function.IntSupplier damageCount;
    private final ArrayBlockingQueue<Pending> queue;
    private final AtomicBoolean newSegment = new AtomicBoolean();
    private final Thread thread;
    private volatile boolean closed;
    private volatile Throwable failure;
    private volatile Journal.End end;

    // Committed state: written by the writer thread only, after a successful fsync.
    private FileChannel channel;
    private int file;
    private long size;
    private long seq;
    private String prev;

    private static final class Pending {
        final String action;
        final String event;
        final JsonNode data;
        final CompletableFuture<Journal.Written> done = new CompletableFuture<>();
        final AtomicInteger state = new AtomicInteger(QUEUED);

        Pending(String action, String event, JsonNode data) {
            this.action = action;
            this.event = event;
            this.data = data;
        }

        /** The writer takes it, unless its caller gave up waiting first (then it is never written). */
        boolean claim() {
            return state.compareAndSet(QUEUED, CLAIMED) || state.get() == CLAIMED;
        }
    }

    JournalWriter(Segments segments, JournalSeal seal, Clock clock, long rotateBytes, Journal.Options options,
                  java.util.function.IntSupplier damageCount, int file, long seq, String prev, boolean startNewSegment)
            throws IOException {
        this.segments = segments;
        this.seal = seal;
        this.clock = clock;
        this.rotateBytes = rotateBytes;
        this.options = options;
        this.damageCount = damageCount;
        this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
        this.seq = seq;
        this.prev = prev;
        open(file);
        if (startNewSegment && size > 0) {
            rotate();
        }
        end = new Journal.End(Segments.position(this.file, size), seq, prev);
        thread = new Thread(this::loop, "journal-writer");
        thread.setDaemon(true);
        thread.start();
    }

    Journal.End end() {
        return end;
    }

    String segment() {
        return Segments.name(file);
    }

    /** Why the journal is read-only (null: it is not). */
    Throwable failure() {
        return failure;
    }

    boolean closed() {
        return closed;
    }

    /** Records waiting to be taken by the writer. */
    int queued() {
        return queue.size();
    }

    /** Records after this go to a new segment (the current one is kept as it is). */
    void startNewSegment() {
        newSegment.set(true);
    }

    Journal.Written append(String action, String event, JsonNode data) {
        Throwable f = failure;
        if (f != null) {
            throw new UnavailableException("the journal is read-only after a write failure (" + f
                    + "); nothing can be accepted until it is fixed and the app restarted", 60);
        }
        if (closed) {
            throw new IllegalStateException("journal closed");
        }
        Pending p = new Pending(action, event, data);
        if (!queue.offer(p)) {
            throw new UnavailableException("the journal has " + options.queueCapacity()
                    + " records waiting to be written; try again shortly", 1);
        }
        try {
            try {
                return p.done.get(options.appendTimeout().toMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException slow) {
                if (p.state.compareAndSet(QUEUED, ABANDONED)) {
                    throw new UnavailableException("the journal did not take the record within "
                            + options.appendTimeout().toSeconds() + " s (nothing was written); try again shortly", 1);
                }
                // The writer has it: its write is under way and decides. A disk that never answers turns the
                // journal read-only rather than holding this thread forever.
                try {
                    return p.done.get(options.appendTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
                } catch (TimeoutException stalled) {
                    fail(new IOException("a journal write did not finish within " + options.appendTimeout().toSeconds() * 4 + " s"));
                    throw new UnavailableException("the journal's disk stopped answering; the journal is read-only", 60);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while journaling", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof UnavailableException u) {
                throw u;
            }
            throw new java.io.UncheckedIOException("journal write failed (nothing was written)",
                    e.getCause() instanceof IOException io ? io : new IOException(e.getCause()));
        }
    }

    private void loop() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                Pending first = queue.poll(100, TimeUnit.MILLISECONDS);
                if (first == null) {
                    if (closed) {
                        return;
                    }
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                if (failure != null) {
                    batch.forEach(p -> p.done.completeExceptionally(readOnly()));
                } else {
                    write(batch);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Throwable t) { // an Error too: callers must never be left waiting
                fail(t);
                batch.forEach(p -> p.done.completeExceptionally(readOnly()));
            } finally {
                batch.clear();
            }
        }
    }

    private UnavailableException readOnly() {
        return new UnavailableException("the journal is read-only after a write failure (" + failure + ")", 60);
    }

    /** The journal stops taking records: health says why; what was written stays as it is. */
    void fail(Throwable t) {
        if (failure == null) {
            failure = t;
            LOG.error("journal is now read-only: {}", t.toString(), t);
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(readOnly());
        }
    }

    /** Writes the batch in runs that each fit the current segment: encode, write, fsync, then commit. */
    private void write(List<Pending> batch) throws IOException {
        int i = 0;
        while (i < batch.size()) {
            if (newSegment.getAndSet(false) && size > 0) {
                rotate();
            }
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            List<Pending> run = new ArrayList<>();
            List<Journal.Written> written = new ArrayList<>();
            long s = seq;
            String h = prev;
            for (; i < batch.size(); i++) {
                Pending p = batch.get(i);
                if (!p.claim()) {
                    continue; // its caller gave up before it was taken: never written
                }
                JournalRecord unsealed = new JournalRecord(s + 1, clock.instant().toString(), p.action, p.event, p.data, h, null);
                String line = seal.seal(Json.mapper().writeValueAsString(unsealed));
                byte[] b = (line + "\n").getBytes(StandardCharsets.UTF_8);
                if (size + bytes.size() + b.length > rotateBytes && size + bytes.size() > 0) {
                    if (bytes.size() > 0) {
                        break; // the rest goes to the next segment, after this run is durable
                    }
                    rotate();
                }
                long at = Segments.position(file, size + bytes.size());
                bytes.write(b);
                s++;
                h = Journal.sha256(line);
                run.add(p);
                written.add(new Journal.Written(new JournalRecord(unsealed.seq(), unsealed.time(), unsealed.action(),
                        unsealed.event(), unsealed.data(), unsealed.prev(), line.substring(line.length() - 66, line.length() - 2)), at));
            }
            if (run.isEmpty()) {
                continue;
            }
            try {
                options.faults().at("write");
                ByteBuffer out = ByteBuffer.wrap(bytes.toByteArray());
                while (out.hasRemaining()) {
                    channel.write(out);
                }
                options.faults().at("force");
                channel.force(false);
            } catch (IOException | RuntimeException e) {
                undo(e);
                run.forEach(p -> p.done.completeExceptionally(e));
                continue;
            }
            // Durable: from here on the run is written, whatever fails next.
            seq = s;
            prev = h;
            size += bytes.size();
            end = new Journal.End(Segments.position(file, size), seq, prev);
            // Callers are answered as soon as their records are durable; the head (its own file, fsync and rename)
            // follows before the next batch is taken, so an append waits for one fsync, not two.
            for (int k = 0; k < run.size(); k++) {
                run.get(k).done.complete(written.get(k));
            }
            try {
                options.faults().at("seal");
                seal.head(seq, prev, damageCount.getAsInt(), false);
            } catch (IOException | RuntimeException e) {
                // The head may lag the journal (never lead it): the next batch writes it again.
                LOG.warn("could not seal the journal head after record {}: {}", seq, e.toString());
            }
        }
    }

    /** Cuts a failed run's bytes off, so the segment ends at the last durable record; if that fails, read-only. */
    private void undo(Exception why) {
        LOG.warn("journal write failed; undoing it: {}", why.toString());
        try {
            options.faults().at("undo");
            channel.truncate(size);
            channel.force(false);
        } catch (IOException | RuntimeException e) {
            fail(new IOException("a failed journal write could not be undone: " + e.getMessage(), why));
        }
    }

    private void open(int n) throws IOException {
        Path f = segments.file(n);
        boolean created = !java.nio.file.Files.exists(f);
        FileChannel ch = FileChannel.open(f, Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND), Permissions.ownerOnlyFile());
        if (created) {
            syncDir();
        }
        FileChannel old = channel;
        channel = ch;
        file = n;
        size = ch.size();
        if (old != null) {
            old.close();
        }
    }

    private void rotate() throws IOException {
        open(file + 1);
        end = new Journal.End(Segments.position(file, size), seq, prev);
    }

    /** A new segment's name is durable before records in it are reported written. */
    private void syncDir() {
        try (FileChannel d = FileChannel.open(segments.dir(), StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a folder; the records themselves are still forced
        }
    }

    void close() {
        closed = true;
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        Pending p;
        while ((p = queue.poll()) != null) {
            p.done.completeExceptionally(new IllegalStateException("journal closed"));
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // every durable record was forced already
        }
    }
}
