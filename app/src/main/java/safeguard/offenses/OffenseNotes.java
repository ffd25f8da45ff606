package safeguard.offenses;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.actions.ActionSummary;
import safeguard.http.UrlPath;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.store.Store;

/**
 * Writes an action's outcome onto the offenses it answers ({@code POST /siem/offenses/{id}/notes}), on its own
 * thread and bounded queue, so a console slow to take notes never delays a snapshot. A note is written once: the
 * POST is never repeated blindly. Before it is sent the job is marked attempted (durably); a lost answer (timeout,
 * 5xx, 429, a restart mid-call) leaves it attempted, and the next try first reads the offense's notes for the
 * note's mark and only sends when it is not there. Pending and done jobs live in {@code store/offense-notes.json}.
 */
public final class OffenseNotes implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(OffenseNotes.class);
    static final String FILE = "offense-notes.json";
    static final int QUEUE = 256;
    static final int MAX_PENDING = 2_000;
    static final int MAX_DONE = 10_000;
    /** Notes of one offense read when looking for a mark: 20 pages of 50 ({@code Range}). */
    static final int LOOK_PAGES = 20;
    static final int LOOK_PAGE = 50;
    static final Duration FIRST_RETRY = Duration.ofSeconds(10);
    static final Duration MAX_RETRY = Duration.ofMinutes(10);
    static final Set<String> UNFINISHED = Set.of("accepted", "running", "coalesced");

    /** One note to write: offense {@code offense} gets the outcome of action {@code action}. */
    @JsonIgnoreProperties(ignoreUnknown = true)
    record Job(String offense, String action, boolean attempted, int tries, Instant retryAt) {
        String key() {
            return offense + "/" + action;
        }
    }

    private record State(Map<String, Job> pending, Map<String, String> done) {
    }

    private final QradarClient qradar;
    private final Store store;
    private final Function<String, ActionSummary> lookup;
    private final BiConsumer<String, JsonNode> timeline;
    private final Clock clock;
    private final BlockingQueue<String> queue = new ArrayBlockingQueue<>(QUEUE);
    private final Map<String, Job> pending = new LinkedHashMap<>();
    private final Map<String, String> done = new LinkedHashMap<>();
    private final ScheduledExecutorService sweeper;
    private Thread worker;
    private volatile String lastError;

    /**
     * @param lookup   an action's summary by id (where it stands)
     * @param timeline records a step on an action's timeline (the journal)
     */
    public OffenseNotes(QradarClient qradar, Store store, Function<String, ActionSummary> lookup,
                        BiConsumer<String, JsonNode> timeline, Clock clock) {
        this.qradar = qradar;
        this.store = store;
        this.lookup = lookup;
        this.timeline = timeline;
        this.clock = clock;
        this.sweeper = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "offense-notes-sweep");
            t.setDaemon(true);
            return t;
        });
        try {
            var b = store.read(FILE);
            if (b.isPresent()) {
                State s = Json.mapper().readValue(b.get(), new TypeReference<State>() { });
                if (s != null) {
                    pending.putAll(s.pending() == null ? Map.of() : s.pending());
                    done.putAll(s.done() == null ? Map.of() : s.done());
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read {}: pending offense notes are lost ({})", FILE, e.toString());
        }
    }

    /** Starts the writer; jobs left pending by the last run go first. */
    public void start() {
        if (qradar == null) {
            return;
        }
        worker = new Thread(this::work, "offense-notes");
        worker.setDaemon(true);
        worker.start();
        sweeper.scheduleWithFixedDelay(this::sweep, 0, 5, TimeUnit.SECONDS);
    }

    /** Offense {@code offense} is answered by action {@code action}: its note follows the action's end. */
    public void watch(String offense, String action) {
        if (qradar == null) {
            return;
        }
        Job j = new Job(offense, action, false, 0, null);
        synchronized (this) {
            if (done.containsKey(j.key()) || pending.containsKey(j.key())) {
                return;
            }
            if (pending.size() >= MAX_PENDING) {
                LOG.warn("{} offense notes pending; not noting offense {}", MAX_PENDING, offense);
                return;
            }
            pending.put(j.key(), j);
            save();
        }
        ActionSummary now = lookup.apply(action);
        if (now != null && !UNFINISHED.contains(now.status())) {
            queue.offer(j.key());
        }
    }

    /**
     * An action ended (called on its target's thread: only queues). Notes the offense it names, those named by the
     * requests coalesced into it ({@code members}, read only when there are some), and watchers.
     */
    public void ended(ActionSummary a, Function<String, List<ActionSummary>> members) {
        if (qradar == null) {
            return;
        }
        if (a.context() != null && a.context().offenseId() != null) {
            watch(a.context().offenseId(), a.id());
        }
        if (a.coalesced() > 0) {
            for (ActionSummary m : members.apply(a.id())) {
                if (m.context() != null && m.context().offenseId() != null) {
                    watch(m.context().offenseId(), a.id());
                }
            }
        }
        List<String> ready = new ArrayList<>();
        synchronized (this) {
            for (Job j : pending.values()) {
                if (j.action().equals(a.id())) {
                    ready.add(j.key());
                }
            }
        }
        ready.forEach(queue::offer); // a full queue is caught up by the sweep
    }

    /** How many notes wait to be written, and the last failure. */
    public record Status(int pending, String lastError) {
    }

    public synchronized Status status() {
        return new Status(pending.size(), lastError);
    }

    /** Queues the jobs whose action has ended and whose retry is due (every few seconds; tests call it). */
    void sweep() {
        Instant now = clock.instant();
        List<Job> due;
        synchronized (this) {
            due = pending.values().stream().filter(j -> j.retryAt() == null || !j.retryAt().isAfter(now)).toList();
        }
        for (Job j : due) {
            ActionSummary a = lookup.apply(j.action());
            if (a != null && !UNFINISHED.contains(a.status()) && !queue.contains(j.key())) {
                queue.offer(j.key());
            }
        }
    }

    private void work() {
        while (!Thread.currentThread().isInterrupted()) {
            String key;
            try {
                key = queue.take();
            } catch (InterruptedException e) {
                return;
            }
            try {
                write(key);
            } catch (RuntimeException e) {
                LOG.warn("offense note {} failed: {}", key, e.toString());
            }
        }
    }

    private void write(String key) {
        Job j;
        synchronized (this) {
            j = pending.get(key);
        }
        if (j == null || (j.retryAt() != null && j.retryAt().isAfter(clock.instant()))) {
            return;
        }
        ActionSummary a = lookup.apply(j.action());
        if (a == null || UNFINISHED.contains(a.status())) {
            return;
        }
        String path = "/siem/offenses/" + UrlPath.segment(j.offense()) + "/notes";
        String mark = NoteText.mark(a.id());
        try {
            if (j.attempted()) {
                Long there = find(path, mark);
                if (there != null) {
                    finish(j, a, true, there, "found after an answer was lost");
                    return;
                }
            }
            update(new Job(j.offense(), j.action(), true, j.tries() + 1, null));
            JsonNode note = qradar.postOnce(path, Map.of("note_text", NoteText.of(a)));
            finish(j, a, true, note.path("id").asLong(), null);
        } catch (QradarException e) {
            int s = e.status();
            if (s == 404 || (s >= 400 && s < 500 && s != 429 && s != 408)) {
                // A definite refusal: nothing was written, and sending it again would be refused again.
                finish(j, a, false, null, e.getMessage());
                return;
            }
            lastError = "offense " + j.offense() + ": " + e.getMessage();
            Duration wait = FIRST_RETRY.multipliedBy(1L << Math.min(j.tries(), 6));
            update(new Job(j.offense(), j.action(), true, j.tries() + 1,
                    clock.instant().plus(wait.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : wait)));
        }
    }

    /** The id of the offense's note that carries {@code mark}, or null (notes are read in Range pages, no filter). */
    private Long find(String path, String mark) {
        for (int page = 0; page < LOOK_PAGES; page++) {
            int from = page * LOOK_PAGE;
            JsonNode notes = qradar.getRange(path, Map.of("fields", "id,note_text"), from, from + LOOK_PAGE - 1);
            for (JsonNode n : notes) {
                if (n.path("note_text").asText("").contains(mark)) {
                    return n.path("id").asLong();
                }
            }
            if (notes.size() < LOOK_PAGE) {
                return null;
            }
        }
        return null;
    }

    private void finish(Job j, ActionSummary a, boolean ok, Long noteId, String why) {
        synchronized (this) {
            pending.remove(j.key());
            done.put(j.key(), ok ? "noted" : "failed");
            while (done.size() > MAX_DONE) {
                done.remove(done.keySet().iterator().next());
            }
            save();
        }
        ObjectNode data = Json.mapper().createObjectNode().put("offenseId", j.offense()).put("ok", ok);
        if (noteId != null) {
            data.put("noteId", noteId);
        }
        if (why != null) {
            data.put(ok ? "note" : "error", why);
        }
        try {
            timeline.accept(a.id(), data);
        } catch (RuntimeException e) {
            LOG.warn("offense note of {} written but not journaled: {}", a.id(), e.toString());
        }
        if (!ok) {
            lastError = "offense " + j.offense() + ": " + why;
        }
    }

    private synchronized void update(Job j) {
        pending.put(j.key(), j);
        save();
    }

    private void save() {
        try {
            store.writeAtomically(FILE, Json.mapper().writeValueAsBytes(new State(pending, done)));
        } catch (IOException e) {
            LOG.warn("cannot write {}: {}", FILE, e.toString());
        }
    }

    @Override
    public void close() {
        sweeper.shutdownNow();
        if (worker != null) {
            worker.interrupt();
        }
    }
}
