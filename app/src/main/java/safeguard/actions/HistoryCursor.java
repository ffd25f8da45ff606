package safeguard.actions;

import java.util.Set;
import safeguard.InvalidInputException;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;

/**
 * Where a page of the history on disk starts, from the {@code before} a previous page gave: a journal position
 * ({@code @123}) once paging reached the disk, or the id of the page's last row while that row was in memory. A row
 * that has left memory since (newer actions pushed it out) is found in the journal, so paging goes on from it
 * instead of starting over at the newest action on disk.
 */
final class HistoryCursor {
    private HistoryCursor() {
    }

    static long start(String before, boolean fromDisk, Set<String> inMemory, ActionHistory history, Journal journal) {
        if (before == null || (!fromDisk && inMemory.contains(before))) {
            return Long.MAX_VALUE;
        }
        if (fromDisk) {
            try {
                long p = Long.parseLong(before.substring(1));
                if (p < 0) {
                    throw new NumberFormatException();
                }
                return p;
            } catch (NumberFormatException e) {
                throw new InvalidInputException("before", "before must be a value a previous page gave as next");
            }
        }
        ActionState s = history.find(before);
        if (s == null || s.timeline.isEmpty()) {
            throw new InvalidInputException("before", "before must be a value a previous page gave as next");
        }
        // Outcome records list the history: the page goes on before the row's own (a later note may follow it).
        for (int i = s.timeline.size() - 1; i >= 0; i--) {
            long p = s.timeline.get(i);
            JournalRecord r = journal.read(p);
            if (r.data().has("summary") || ActionState.TERMINAL.contains(r.event())) {
                return p;
            }
        }
        throw new InvalidInputException("before", "before must be a value a previous page gave as next");
    }
}
