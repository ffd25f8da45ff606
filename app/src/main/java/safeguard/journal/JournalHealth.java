package safeguard.journal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The journal's health: what start-up repaired, the last chain check, and every damage finding, kept in the
 * sealed {@link DamageLog} until an admin acknowledges it. {@code verify} and the status both report an open
 * finding, so a check that now walks a consistent chain (the journal wrote on after a cut) still says "damaged".
 */
final class JournalHealth {
    private static final Logger LOG = LoggerFactory.getLogger(JournalHealth.class);

    private final ChainCheck chainCheck;
    private final DamageLog damageLog;
    private final Clock clock;
    private final List<String> repairs;
    private volatile ChainReport lastCheck;
    private volatile boolean verifying;
    /** Told of each new finding: the journal records it and starts a new segment. */
    private volatile Consumer<Journal.Damage> onNew = d -> { };

    JournalHealth(ChainCheck chainCheck, DamageLog damageLog, Clock clock, List<String> repairs) {
        this.chainCheck = chainCheck;
        this.damageLog = damageLog;
        this.clock = clock;
        this.repairs = List.copyOf(repairs);
    }

    void onNewDamage(Consumer<Journal.Damage> c) {
        onNew = c;
    }

    List<String> repairs() {
        return repairs;
    }

    DamageLog damageLog() {
        return damageLog;
    }

    /** Records a finding (once); a new one is logged and handed on. */
    boolean damaged(Journal.Damage d) {
        if (damageLog.add(d, clock.instant().toString())) {
            LOG.error("journal damaged: {} line {}: {}; new records go to a new segment", d.file(), d.line(), d.reason());
            onNew.accept(d);
            return true;
        }
        return false;
    }

    /** The first open finding, or null. */
    Journal.Damage firstOpen() {
        List<DamageFinding> open = damageLog.open();
        return open.isEmpty() ? null : new Journal.Damage(open.get(0).file(), open.get(0).line(), open.get(0).reason());
    }

    JournalStatus status(JournalWriter writer) {
        ChainReport check = lastCheck;
        Throwable failure = writer.failure();
        boolean brokenOpen = check != null && !check.intact() && !Boolean.TRUE.equals(check.acknowledged());
        String state = failure != null ? "read-only"
                : firstOpen() != null || brokenOpen ? "damaged"
                : check == null || verifying ? "verifying"
                : !check.intact() ? "acknowledged" : "intact";
        List<DamageFinding> all = damageLog.all();
        return new JournalStatus(state, check, repairs, firstOpen(), writer.segment(), all.isEmpty() ? null : all,
                failure == null ? null : failure.toString());
    }

    ChainReport verify(long durableSeq, ChainCheck.Lister files, boolean fresh) {
        verifying = true;
        try {
            ChainReport r;
            try {
                r = chainCheck.walk(durableSeq, files, fresh).at(clock.instant().toString());
            } catch (ChainCheck.Interrupted stopped) {
                ChainReport last = lastCheck;
                return last != null ? last : new ChainReport(true, 0, 0, null, null,
                        "the check was interrupted before it finished", null, null, null);
            }
            if (!r.intact()) {
                if (damageLog.acknowledged(r.brokenAtFile(), r.brokenAtLine())) {
                    r = r.asAcknowledged();
                } else {
                    damaged(new Journal.Damage(r.brokenAtFile(), r.brokenAtLine(), r.reason()));
                }
            }
            r = withOpenDamage(r);
            lastCheck = r;
            return r;
        } finally {
            verifying = false;
        }
    }

    /** A walk that finds the chain consistent still reports the findings no admin has acknowledged. */
    private ChainReport withOpenDamage(ChainReport r) {
        List<DamageFinding> open = damageLog.open();
        if (open.isEmpty()) {
            return r;
        }
        if (r.intact()) {
            DamageFinding first = open.get(0);
            return new ChainReport(false, r.records(), r.files(), first.file(), first.line(),
                    first.reason() + " (found " + first.detectedAt() + "; still reported until an admin acknowledges it)",
                    r.checkedAt(), null, open);
        }
        return new ChainReport(false, r.records(), r.files(), r.brokenAtFile(), r.brokenAtLine(), r.reason(),
                r.checkedAt(), r.acknowledged(), open);
    }

    /** Acknowledges every open finding; the caller journals it and checks again. */
    List<DamageFinding> acknowledge(String by, String why) {
        return new ArrayList<>(damageLog.acknowledge(by, why, clock.instant().toString()));
    }
}
