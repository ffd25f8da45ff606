package safeguard.actions;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Per target, what the Overview shows, kept up to date as actions change instead of being searched for in the
 * history at every load (issue #22: on 40,590 records one load took minutes, five at once exhausted the heap): the
 * newest action, the newest that says whether the data is protected, the newest protected copy, the newest failure,
 * and per hour of acceptance how many actions are in each status, for the last {@link #HOURS} hours. Each action
 * remembers the status it is counted under ({@link ActionState#counted}), so an update is a move between two
 * counters and applying the same state twice changes nothing. Guarded by the service's lock; saved in the
 * checkpoint with the actions, so start-up replays only the records after it.
 */
public final class TargetLedger {
    /** One hour more than the Overview's window: the window ends at the next full hour. */
    static final int HOURS = 25;
    /** Outcomes that say something about the data's protection; the others (coalesced, refused…) do not. */
    public static final Set<String> PROTECTED = Set.of("verified", "protected", "protected-not-as-planned");
    public static final Set<String> NOT_PROTECTED = Set.of("failed", "not-protected");
    public static final Set<String> UNSURE = Set.of("completed", "interrupted", "unknown");

    /** One target's entry as saved and as read: the newest actions without their context, counts by epoch hour. */
    public record Entry(ActionSummary newest, ActionSummary decisive, ActionSummary protectedCopy, ActionSummary lastFailure,
                 Map<Long, Map<String, Integer>> hours) {
    }

    private static final class Mutable {
        ActionSummary newest;
        ActionSummary decisive;
        ActionSummary protectedCopy;
        ActionSummary lastFailure;
        final TreeMap<Long, Map<String, Integer>> hours = new TreeMap<>();
    }

    private final Map<String, Mutable> targets = new HashMap<>();

    /**
     * Brings {@code s} into the counts as its status is now (applying the same state twice changes nothing), and
     * refreshes the rows it is (its end time comes after its status for a dry run).
     */
    void sync(ActionState s, Instant now) {
        String was = s.counted;
        Mutable m = targets.computeIfAbsent(s.target, t -> new Mutable());
        if (!s.status.equals(was)) {
            s.counted = s.status;
            long hour = hourOf(s.acceptedAt);
            long oldest = hourOf(now) - HOURS + 1;
            m.hours.headMap(oldest).clear();
            if (hour >= oldest) {
                Map<String, Integer> counts = m.hours.computeIfAbsent(hour, h -> new HashMap<>(4));
                if (was != null) {
                    counts.computeIfPresent(was, (k, n) -> n <= 1 ? null : n - 1);
                }
                counts.merge(s.status, 1, Integer::sum);
            }
        }
        ActionSummary row = null;
        if (m.newest == null || m.newest.id().equals(s.id)
                || (was == null && !s.acceptedAt.isBefore(Instant.parse(m.newest.acceptedAt())))) {
            row = row(s);
            m.newest = row;
        }
        if (ActionService.RECOVERY_TYPES.contains(s.type)) {
            return; // counted in the day's totals; a restore says nothing about whether the data is protected
        }
        if (PROTECTED.contains(s.status) || NOT_PROTECTED.contains(s.status) || UNSURE.contains(s.status)) {
            row = row != null ? row : row(s);
            if (newer(row, m.decisive)) {
                m.decisive = row;
            }
            if (PROTECTED.contains(s.status) && newer(row, m.protectedCopy)) {
                m.protectedCopy = row;
            }
            if (NOT_PROTECTED.contains(s.status) && newer(row, m.lastFailure)) {
                m.lastFailure = row;
            }
        }
    }

    /** An action restored from a checkpoint saved with this ledger is counted under the status it was saved with. */
    static void adopt(ActionState s) {
        s.counted = s.status;
    }

    /** A copy of every target's entry, with the hours older than {@link #HOURS} before {@code now} left out. */
    Map<String, Entry> snapshot(Instant now) {
        long oldest = hourOf(now) - HOURS + 1;
        Map<String, Entry> out = new HashMap<>();
        targets.forEach((name, m) -> {
            Map<Long, Map<String, Integer>> hours = new TreeMap<>();
            m.hours.tailMap(oldest, true).forEach((h, c) -> hours.put(h, Map.copyOf(c)));
            out.put(name, new Entry(m.newest, m.decisive, m.protectedCopy, m.lastFailure, hours));
        });
        return out;
    }

    /** Restores what {@link #snapshot} saved (the hours that have passed since are dropped at the next update). */
    void restore(Map<String, Entry> saved) {
        targets.clear();
        if (saved == null) {
            return;
        }
        saved.forEach((name, e) -> {
            Mutable m = new Mutable();
            m.newest = e.newest();
            m.decisive = e.decisive();
            m.protectedCopy = e.protectedCopy();
            m.lastFailure = e.lastFailure();
            if (e.hours() != null) {
                e.hours().forEach((h, c) -> m.hours.put(h, new HashMap<>(c)));
            }
            targets.put(name, m);
        });
    }

    public static long hourOf(Instant t) {
        return Math.floorDiv(t.getEpochSecond(), 3600);
    }

    private static boolean newer(ActionSummary a, ActionSummary than) {
        return than == null || a.id().equals(than.id())
                || !Instant.parse(a.acceptedAt()).isBefore(Instant.parse(than.acceptedAt()));
    }

    /** The row without its context: the Overview never shows it, and a path may be 4 KB. */
    private static ActionSummary row(ActionState s) {
        ActionSummary f = s.summary();
        return new ActionSummary(f.id(), f.type(), f.target(), f.scope(), f.status(), f.acceptedAt(), f.finishedAt(),
                f.durationMs(), null, f.coalescedInto(), f.coalesced(), f.dryRun(), f.result(), f.error());
    }
}
