package safeguard.journal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.UnavailableException;

/** A disk that fails under the journal: nothing reported written is lost, nothing failed is kept, no caller hangs. */
class JournalWriterFailureTest {
    @TempDir
    Path store;

    private Path dir() {
        return store.resolve("journal");
    }

    /** The writer's first pass at {@code step} says so through {@code reached}, then waits for {@code release}. */
    private static Journal.Faults holdOnce(String step, CountDownLatch reached, CountDownLatch release) {
        return at -> {
            if (at.equals(step) && reached.getCount() > 0) {
                reached.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
    }

    private static ObjectNode data(int i) {
        return Json.mapper().createObjectNode().put("i", i).put("padding", "p".repeat(100));
    }

    private Journal open(Journal.Faults faults, int queue, Duration timeout) {
        return new Journal(dir(), 8_000, Clock.systemUTC(), new Journal.Options(queue, timeout, faults));
    }

    private List<JournalRecord> replayAll() {
        List<JournalRecord> all = new ArrayList<>();
        try (Journal j = new Journal(dir(), 8_000, Clock.systemUTC())) {
            j.replay(w -> all.add(w.record()));
            ChainReport r = j.verify();
            assertTrue(r.intact(), r.toString());
            assertEquals("intact", j.status().state());
        }
        return all;
    }

    @Test
    void failed_fsyncs_and_writes_mid_burst_lose_nothing_reported_written_keep_nothing_reported_failed_and_the_chain_verifies()
            throws Exception {
        AtomicInteger forces = new AtomicInteger();
        AtomicInteger writes = new AtomicInteger();
        Journal.Faults faults = step -> {
            if (step.equals("force") && forces.incrementAndGet() % 5 == 0) {
                throw new IOException("simulated fsync failure");
            }
            if (step.equals("write") && writes.incrementAndGet() % 7 == 0) {
                throw new IOException("simulated write failure (disk full)");
            }
        };
        Set<String> written = ConcurrentHashMap.newKeySet();
        Set<String> failed = ConcurrentHashMap.newKeySet();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (Journal j = open(faults, 8_192, Duration.ofSeconds(30))) {
            List<Future<?>> fs = new ArrayList<>();
            for (int i = 0; i < 800; i++) {
                int n = i;
                fs.add(pool.submit(() -> {
                    try {
                        Journal.Written w = j.append("a" + n, "accepted", data(n));
                        assertEquals("a" + n, j.read(w.position()).action());
                        written.add("a" + n);
                    } catch (java.io.UncheckedIOException e) {
                        failed.add("a" + n);
                    }
                }));
            }
            for (Future<?> f : fs) {
                f.get();
            }
            ChainReport r = j.verify();
            assertTrue(r.intact(), r.toString());
            assertFalse(failed.isEmpty(), "the faults struck");
            assertTrue(j.status().failure() == null, "undone writes leave the journal writable");
        } finally {
            pool.shutdownNow();
        }
        List<JournalRecord> all = replayAll();
        Set<String> inJournal = ConcurrentHashMap.newKeySet();
        for (int k = 0; k < all.size(); k++) {
            assertEquals(k + 1, all.get(k).seq(), "sequence numbers run on without a gap");
            inJournal.add(all.get(k).action());
        }
        assertEquals(written, inJournal, "exactly the records reported written are in the journal");
        failed.forEach(a -> assertFalse(inJournal.contains(a), a + " was reported failed but is in the journal"));
        assertEquals(800, written.size() + failed.size());
    }

    @Test
    void an_error_in_the_writer_makes_the_journal_read_only_and_no_caller_waits_for_ever() {
        AtomicInteger writes = new AtomicInteger();
        Journal.Faults faults = step -> {
            if (step.equals("write") && writes.incrementAndGet() == 3) {
                throw new OutOfMemoryError("simulated");
            }
        };
        try (Journal j = open(faults, 16, Duration.ofSeconds(30))) {
            j.append("a0", "accepted", data(0));
            j.append("a1", "accepted", data(1));
            UnavailableException e = assertThrows(UnavailableException.class, () -> j.append("a2", "accepted", data(2)));
            assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            assertTrue(e.retryAfterSeconds() > 0);
            assertThrows(UnavailableException.class, () -> j.append("a3", "accepted", data(3)));
            assertEquals("read-only", j.status().state());
            assertTrue(j.status().failure().contains("OutOfMemoryError"), j.status().failure());
        }
        List<JournalRecord> all = replayAll();
        assertEquals(List.of("a0", "a1"), all.stream().map(JournalRecord::action).filter(a -> a != null).toList());
    }

    @Test
    void a_failed_write_that_cannot_be_undone_makes_the_journal_read_only() {
        Journal.Faults faults = step -> {
            if (step.equals("force") || step.equals("undo")) {
                throw new IOException("simulated " + step + " failure");
            }
        };
        try (Journal j = open(faults, 16, Duration.ofSeconds(30))) {
            assertThrows(java.io.UncheckedIOException.class, () -> j.append("a0", "accepted", data(0)));
            assertThrows(UnavailableException.class, () -> j.append("a1", "accepted", data(1)));
            assertEquals("read-only", j.status().state());
        }
    }

    @Test
    void a_full_queue_answers_unavailable_with_retry_after_and_the_waiting_records_are_written_after() throws Exception {
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Journal.Faults faults = holdOnce("write", inWrite, release);
        ExecutorService pool = Executors.newFixedThreadPool(3);
        try (Journal j = open(faults, 2, Duration.ofSeconds(60))) {
            List<Future<Journal.Written>> fs = new ArrayList<>();
            fs.add(pool.submit(() -> j.append("a0", "accepted", data(0))));
            inWrite.await();
            fs.add(pool.submit(() -> j.append("a1", "accepted", data(1))));
            fs.add(pool.submit(() -> j.append("a2", "accepted", data(2))));
            while (j.queued() < 2) {
                Thread.onSpinWait();
            }
            UnavailableException full = assertThrows(UnavailableException.class, () -> j.append("a3", "accepted", data(3)));
            assertEquals(1, full.retryAfterSeconds());
            release.countDown();
            for (Future<Journal.Written> f : fs) {
                assertNotNull(f.get());
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("a0", "a1", "a2"), replayAll().stream().map(JournalRecord::action).sorted().toList());
    }

    @Test
    void a_caller_that_gives_up_waiting_is_told_nothing_was_written_and_its_record_never_is() throws Exception {
        CountDownLatch inWrite = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Journal.Faults faults = holdOnce("write", inWrite, release);
        ExecutorService pool = Executors.newFixedThreadPool(1);
        try (Journal j = open(faults, 16, Duration.ofMillis(200))) {
            Future<Journal.Written> first = pool.submit(() -> j.append("a0", "accepted", data(0)));
            inWrite.await();
            UnavailableException e = assertThrows(UnavailableException.class, () -> j.append("late", "accepted", data(1)));
            assertTrue(e.getMessage().contains("nothing was written"), e.getMessage());
            release.countDown();
            assertNotNull(first.get());
            j.append("a2", "accepted", data(2));
        } finally {
            pool.shutdownNow();
        }
        assertEquals(List.of("a0", "a2"), replayAll().stream().map(JournalRecord::action).toList());
    }

    @Test
    void a_batch_that_was_forced_is_reported_written_even_when_sealing_the_head_fails() throws Exception {
        try (Journal j = open(Journal.Faults.NONE, 16, Duration.ofSeconds(30))) {
            // The head's temporary file cannot be created: sealing fails after each batch is durable. (Made before
            // the first append: the head is sealed after the caller is answered, so it would race a0's sealing.)
            Files.createDirectory(store.resolve(JournalSeal.HEAD_FILE + ".tmp"));
            assertEquals(1, j.append("a0", "accepted", data(0)).record().seq());
            Journal.Written w = j.append("a1", "accepted", data(1));
            assertEquals(2, w.record().seq());
            assertEquals("a1", j.read(w.position()).action());
            Files.delete(store.resolve(JournalSeal.HEAD_FILE + ".tmp"));
            j.append("a2", "accepted", data(2));
        }
        assertEquals(List.of("a0", "a1", "a2"), replayAll().stream().map(JournalRecord::action).toList());
    }
    @Test
    void a_caller_is_answered_once_its_record_is_durable_without_waiting_for_the_head_to_be_sealed() throws Exception {
        CountDownLatch sealing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Journal.Faults faults = holdOnce("seal", sealing, release);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try (Journal j = open(faults, 16, Duration.ofSeconds(30))) {
            try {
                Future<Journal.Written> first = pool.submit(() -> j.append("a0", "accepted", data(0)));
                sealing.await();
                // The writer is held just before sealing the head of a0's batch: a0 is durable and answered already.
                Journal.Written w = first.get(20, java.util.concurrent.TimeUnit.SECONDS);
                assertEquals(1, w.record().seq());
                assertFalse(Files.readString(store.resolve(JournalSeal.HEAD_FILE)).contains("\"seq\":1"));
            } finally {
                release.countDown();
                pool.shutdownNow();
            }
            j.append("a1", "accepted", data(1));
        }
        // The head follows: sealed at the last record, and the journal verifies from start to end.
        assertTrue(Files.readString(store.resolve(JournalSeal.HEAD_FILE)).contains("\"seq\":2"));
        try (Journal j = open(Journal.Faults.NONE, 16, Duration.ofSeconds(30))) {
            assertTrue(j.verify().intact());
        }
        assertEquals(List.of("a0", "a1"), replayAll().stream().map(JournalRecord::action).toList());
    }
}
