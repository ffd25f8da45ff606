package safeguard.offenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.MutableClock;
import safeguard.NotFoundException;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.actions.ActionAnswer;
import safeguard.actions.ActionContext;
import safeguard.actions.ActionDetail;
import safeguard.actions.ActionRequest;
import safeguard.actions.ActionService;
import safeguard.http.PeerTrust;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;
import safeguard.journal.Journal;
import safeguard.qradar.ConsoleExtension;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.ScaleSettings;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;
import safeguard.targets.Tls;

/**
 * The outcome reaches the offense on its own queue: a custom-action firing that names an offense gets its note, a
 * console slow to take notes does not hold up the next snapshot, and a note whose answer was lost is looked for,
 * not sent again.
 */
class OffenseNotesTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Journal journal;
    ActionService actions;
    OffenseNotes notes;
    final MutableClock notesClock = new MutableClock(Instant.parse("2026-12-05T10:00:00Z"));

    @AfterEach
    void stop() {
        if (notes != null) {
            notes.close();
        }
        if (actions != null) {
            actions.close();
        }
        if (journal != null) {
            journal.close();
        }
        if (scale != null) {
            scale.close();
        }
    }

    private void start() throws Exception {
        scale = ScaleSimulator.started(cert, 0);
        Store store = Store.open(tmp.resolve("store"));
        TargetService targets = new TargetService(store);
        targets.create(new TargetInput("scale", "scale1", "localhost", scale.port(), "snapadmin", "pw",
                new Tls("pinned", null, PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0))), 2, 10,
                new ScaleSettings("gpfs01", "sales", List.of("sales", "hr"), "sgc", 24, 600, "UTC"),
                null, null, null, null));
        RetryPolicy noWait = new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
        Connector connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, noWait, d -> { });
        journal = new Journal(store.dir().resolve("journal"), 1 << 20, Clock.systemUTC());
        actions = new ActionService(journal, targets, connector, null, Clock.systemUTC(), 4);
        notes = new OffenseNotes(console.service(), store, id -> {
            try {
                return actions.detail(id).action();
            } catch (NotFoundException e) {
                return null;
            }
        }, (id, data) -> actions.note(id, "offense-note", data), notesClock);
        actions.onEnd(a -> notes.ended(a, id -> actions.incident(id).members()));
        actions.load();
        notes.start();
    }

    private static ActionRequest firing(String fileset, String offense) {
        return new ActionRequest("scale-snapshot", "scale1",
                new ActionContext("Safeguard rule", "2001", "/gpfs/gpfs01/" + (fileset == null ? "sales" : fileset) + "/x.csv",
                        "x.csv", null, offense), null, fileset,
                null, null);
    }

    private static void await(String what, BooleanSupplier done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    private boolean ended(String id, String status) {
        return actions.detail(id).action().status().equals(status);
    }

    private JsonNode noteRecord(String id) {
        for (ActionDetail.Step s : actions.detail(id).timeline()) {
            if (s.event().equals("offense-note")) {
                return s.data();
            }
        }
        return null;
    }

    private long notePosts() {
        return console.fake().requests().stream()
                .filter(s -> s.method().equals("POST") && s.path().endsWith("/notes")).count();
    }

    @Test
    void a_custom_action_firing_that_names_an_offense_gets_the_outcome_as_a_note() throws Exception {
        console.fake().hasOffense(77);
        start();
        ActionAnswer a = actions.submit(firing(null, "77"));
        await("the note's record", () -> noteRecord(a.id()) != null);
        assertEquals("protected", actions.detail(a.id()).action().status());
        String snapshot = actions.detail(a.id()).action().result().get("snapshot");
        var onOffense = console.fake().offenses().notesOf(77);
        assertEquals(1, onOffense.size());
        String text = onOffense.get(0).get("note_text").asText();
        assertTrue(text.contains("PROTECTED") && text.contains(snapshot) && text.contains(NoteText.mark(a.id())), text);
        assertTrue(noteRecord(a.id()).get("ok").asBoolean());
    }

    @Test
    void a_firing_naming_an_offense_that_joins_a_running_action_gets_that_actions_outcome() throws Exception {
        console.fake().hasOffense(79);
        start();
        ActionAnswer first = actions.submit(firing(null, null));
        ActionAnswer joined = actions.submit(firing(null, "79"));
        assertEquals("coalesced", joined.status());
        await("the note's record", () -> noteRecord(first.id()) != null);
        var onOffense = console.fake().offenses().notesOf(79);
        assertEquals(1, onOffense.size());
        assertTrue(onOffense.get(0).get("note_text").asText().contains(NoteText.mark(first.id())));
    }

    @Test
    void a_console_slow_to_take_notes_does_not_delay_the_next_snapshot() throws Exception {
        console.fake().hasOffense(77);
        CountDownLatch held = console.fake().offenses().holdNotes();
        start();
        ActionAnswer first = actions.submit(firing("sales", "77"));
        await("the first note to be on its way", () -> console.fake().offenses().notesWaiting() == 1);
        assertTrue(ended(first.id(), "protected"));

        ActionAnswer second = actions.submit(firing("hr", null));
        await("the second snapshot", () -> ended(second.id(), "protected"));
        assertEquals(2, scale.created(), "the next snapshot was taken while the console still held the note");
        assertEquals(1, console.fake().offenses().notesWaiting(), "the note is still waiting for the console");

        held.countDown();
        await("the note", () -> noteRecord(first.id()) != null);
        assertEquals(1, console.fake().offenses().notesOf(77).size());
    }

    @Test
    void a_note_whose_answer_was_lost_is_looked_for_and_never_written_twice() throws Exception {
        console.fake().hasOffense(78);
        console.fake().offenses().loseNoteAnswers(1);
        start();
        ActionAnswer a = actions.submit(firing(null, "78"));
        await("the first try", () -> notes.status().lastError() != null);
        assertEquals(1, console.fake().offenses().notesOf(78).size(), "the console wrote it, then the answer was lost");
        assertEquals(1, notes.status().pending());

        notesClock.advance(Duration.ofSeconds(11));
        notes.sweep();
        await("the note's record", () -> noteRecord(a.id()) != null);
        JsonNode record = noteRecord(a.id());
        assertTrue(record.get("ok").asBoolean(), record.toString());
        assertEquals("found after an answer was lost", record.get("note").asText());
        assertEquals(1, console.fake().offenses().notesOf(78).size());
        assertEquals(1, notePosts(), "the POST was sent once");
        assertEquals(0, notes.status().pending());
    }
}
