package safeguard.actions;

import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.journal.ChainReport;
import safeguard.journal.Journal;

/** The journal's checks: on demand, once in full at start, then every minute on what changed. */
final class JournalChecks {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);

    private final Journal journal;
    private final Object lock;
    private java.util.concurrent.ScheduledExecutorService verifier;

    JournalChecks(Journal journal, Object lock) {
        this.journal = journal;
        this.lock = lock;
    }

    /**
     * Checks the journal's seals and chain; without {@code fresh}, full segments unchanged since the last check are
     * not read again (an edit changes a segment's size or time, so it is read again and the bad line found).
     */
    ChainReport verify(boolean fresh) {
        return journal.verify(fresh);
    }

    /**
     * The full check the app runs once at start, off the request path (health shows "verifying" meanwhile), then
     * a check every minute that re-reads only what changed, so pages can show the last result without waiting.
     */
    void inBackground() {
        java.util.concurrent.ScheduledExecutorService checks = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "journal-verify");
            t.setDaemon(true);
            t.setPriority(Thread.MIN_PRIORITY);
            return t;
        });
        checks.execute(() -> {
            long t0 = System.nanoTime();
            ChainReport r = journal.verify(true);
            LOG.info("journal check at start: {} ({} records, {} ms)", r.intact() ? "intact" : "DAMAGED: " + r.reason(),
                    r.records(), (System.nanoTime() - t0) / 1_000_000);
        });
        checks.scheduleWithFixedDelay(() -> {
            if (!journal.isClosed()) {
                journal.verify(false);
            }
        }, 60, 60, TimeUnit.SECONDS);
        synchronized (lock) {
            verifier = checks;
        }
    }

    /** The journal's state as last checked (never waits for a check): the Overview shows it. */
    safeguard.journal.JournalStatus status() {
        return journal.status();
    }

    /** Stops the background checks. */
    void stop() {
        synchronized (lock) {
            if (verifier != null) {
                verifier.shutdownNow();
            }
        }
    }
}
