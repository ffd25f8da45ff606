package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.InvalidInputException;
import safeguard.MutableClock;
import safeguard.TestCerts;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;
import safeguard.scale.ScaleSimulator;
import safeguard.targets.StorageFixture;
import safeguard.targets.Tls;

/** Drills against the Scale simulator: a real snapshot of the drill fileset, short-lived, read back, journaled. */
class DrillsTest {
    static final TestCerts cert = TestCerts.localhost();

    @RegisterExtension
    final ScaleSimulator scale = new ScaleSimulator(cert).credentials("snapadmin", StorageFixture.PASSWORD);

    @TempDir
    Path tmp;
    StorageFixture fx;
    Journal journal;
    Drills drills;
    final MutableClock clock = new MutableClock(Instant.now());

    @BeforeEach
    void start() {
        scale.pollsToComplete = 0;
        fx = new StorageFixture(tmp, cert, scale);
        fx.targets.create(fx.scale("scale-prod", new Tls("verify", cert.pemText(), null), 5));
        journal = new Journal(tmp.resolve("journal"), 1 << 20, clock);
        drills = new Drills(fx.store, fx.targets, fx.connector, journal, clock);
    }

    @AfterEach
    void stop() {
        journal.close();
        fx.close();
    }

    private List<JournalRecord> drillRecords() {
        List<JournalRecord> out = new ArrayList<>();
        journal.replay(w -> {
            if (w.record().event().equals("drill")) {
                out.add(w.record());
            }
        });
        return out;
    }

    @Test
    void a_drill_snapshots_the_drill_fileset_with_a_short_expiry_reads_it_back_and_is_journaled_as_a_drill() {
        drills.set("scale-prod", new DrillSpec("ops", null, null, 24, 30));
        DrillResult r = drills.run("scale-prod");

        assertEquals("protected", r.status(), r.toString());
        List<ScaleSimulator.Snap> snaps = scale.snapshots();
        assertEquals(1, snaps.size());
        assertEquals("ops", snaps.get(0).fileset());
        assertTrue(snaps.get(0).name().startsWith("sgc-drill-"), snaps.get(0).name());
        assertEquals(clock.instant().plus(Duration.ofMinutes(30)).toString().substring(0, 16).replace('T', '-'),
                snaps.get(0).expirationTime().substring(0, 16), snaps.get(0).toString());
        List<JournalRecord> recs = drillRecords();
        assertEquals(1, recs.size());
        assertTrue(recs.get(0).data().get("drill").asBoolean());
        assertEquals("protected", recs.get(0).data().get("status").asText());
        Check c = drills.checks().get(0);
        assertEquals(Check.OK, c.state());
        assertTrue(c.why().contains(snaps.get(0).name()), c.why());
    }

    @Test
    void a_drill_that_cannot_make_its_copy_fails_its_check_and_is_journaled() {
        drills.set("scale-prod", new DrillSpec("finance", null, null, null, null));
        DrillResult r = drills.run("scale-prod");
        assertEquals("not-protected", r.status(), r.toString());
        Check c = drills.checks().get(0);
        assertEquals(Check.FAILED, c.state());
        assertTrue(c.why().contains("fileset finance"), c.why());
        assertEquals(1, drillRecords().size());
        assertEquals(0, scale.snapshots().size());
    }

    @Test
    void drills_run_when_due_and_not_before() {
        drills.set("scale-prod", new DrillSpec("ops", null, null, 6, null));
        assertEquals(Check.WARNING, drills.checks().get(0).state()); // opted in, none ran yet
        drills.runDue();
        clock.advance(Duration.ofHours(5));
        drills.runDue();
        assertEquals(1, scale.snapshots().size());
        clock.advance(Duration.ofHours(1));
        drills.runDue();
        assertEquals(2, scale.snapshots().size());
    }

    @Test
    void a_drill_needs_its_fileset_and_sane_bounds_and_nothing_is_stored_otherwise() {
        var e = assertThrows(InvalidInputException.class, () -> drills.set("scale-prod", new DrillSpec(null, null, null, null, null)));
        assertEquals("fileset", e.field());
        e = assertThrows(InvalidInputException.class, () -> drills.set("scale-prod", new DrillSpec("ops", null, null, 0, null)));
        assertEquals("everyHours", e.field());
        e = assertThrows(InvalidInputException.class, () -> drills.set("scale-prod", new DrillSpec("ops", null, null, null, 5)));
        assertEquals("expiryMinutes", e.field());
        assertEquals(List.of(), drills.list());
        assertEquals(List.of(), new Drills(fx.store, fx.targets, fx.connector, journal, clock).list());
    }
}
