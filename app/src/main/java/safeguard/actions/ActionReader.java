package safeguard.actions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;

/**
 * Reading: an action's detail, pages of the history (memory first, then the journal through {@link HistoryCursor}),
 * incidents, plans, the per-target ledger, and where an action stands (coalesced answers from memory).
 */
final class ActionReader {
    private final ActionMemory m;
    private final Journal journal;
    private final ActionHistory history;

    ActionReader(ActionMemory m) {
        this.m = m;
        this.journal = m.journal;
        this.history = m.history;
    }

    /**
     * The incident of action {@code id}: the action that covers it (itself unless coalesced), that action's plan,
     * every request of the burst coalesced into it (the covering one first), and the recoveries started from it.
     */
    ActionService.Incident incident(String id) {
        ActionState s = m.stateOf(id);
        ActionState holder = s.coalescedInto == null ? s : m.stateOf(s.coalescedInto);
        List<ActionSummary> members = new ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        Map<String, String> plan;
        synchronized (m.lock) {
            members.add(holder.summary());
            plan = Map.copyOf(holder.plan);
            for (ActionState a : m.actions.values()) {
                if (holder.id.equals(a.coalescedInto)) {
                    members.add(a.summary());
                    seen.add(a.id);
                }
            }
        }
        if (members.size() - 1 < holder.coalesced || !m.inMemory(holder.id)) {
            ActionHistory.Page older = history.page(Long.MAX_VALUE, x -> holder.id.equals(x.coalescedInto()),
                    seen::contains, holder.acceptedAt, ActionLimits.DEFAULTS.recentActions());
            members.addAll(older.items());
        }
        List<String> recoveries = new ArrayList<>();
        for (ActionDetail.Step step : detail(holder.id).timeline()) {
            if (step.event().equals("recovery")) {
                recoveries.add(step.data().path("recovery").asText());
            }
        }
        return new ActionService.Incident(members.get(0), plan, members, recoveries);
    }

    /** The plan an action was accepted with (a recovery's is what it will copy, from where, to where). */
    Map<String, String> plan(String id) {
        ActionState s = m.stateOf(id);
        synchronized (m.lock) {
            return Map.copyOf(s.plan);
        }
    }

    /** The plans of the recoveries of {@code type} on {@code target} that have not ended, by id. */
    Map<String, Map<String, String>> unfinished(String type, String target) {
        Map<String, Map<String, String>> out = new LinkedHashMap<>();
        synchronized (m.lock) {
            for (ActionState a : m.actions.values()) {
                if (!a.terminal() && a.type.equals(type) && a.target.equals(target)) {
                    out.put(a.id, Map.copyOf(a.plan));
                }
            }
        }
        return out;
    }

    ActionDetail detail(String id) {
        ActionState s = m.stateOf(id);
        ActionSummary summary;
        List<Long> positions;
        synchronized (m.lock) {
            summary = s.summary();
            positions = List.copyOf(s.timeline);
        }
        List<ActionDetail.Step> steps = new ArrayList<>(positions.size());
        for (long p : positions) {
            JournalRecord r = journal.read(p);
            steps.add(new ActionDetail.Step(r.seq(), r.time(), r.event(), r.data()));
        }
        return new ActionDetail(summary, steps);
    }

    /**
     * Per target, the newest action, the newest that says whether the data is protected, the newest protected copy
     * and failure, and the last hours' counts by status: read from what is kept as actions change, never from the
     * history (the Overview's reads take constant time however long the journal).
     */
    Map<String, TargetLedger.Entry> targetLedger() {
        synchronized (m.lock) {
            return m.ledger.snapshot(m.clock.instant());
        }
    }

    /** Newest first, filtered; {@code before} is the id of the last row of the previous page. */
    ActionPage list(String since, String status, String target, String before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "limit must be between 1 and 500");
        }
        Instant from;
        try {
            from = since == null || since.isBlank() ? Instant.MIN : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("since", "since must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
        List<ActionSummary> page = new ArrayList<>();
        String next = null;
        java.util.Set<String> inMemory = new java.util.HashSet<>();
        boolean fromDisk = before != null && before.startsWith("@");
        synchronized (m.lock) {
            List<ActionState> all = new ArrayList<>(m.actions.values());
            all.forEach(a -> inMemory.add(a.id));
            boolean skipping = before != null;
            if (fromDisk || (before != null && !m.actions.containsKey(before))) {
                all = List.of();
            }
            for (int i = all.size() - 1; i >= 0; i--) {
                ActionState s = all.get(i);
                if (skipping) {
                    skipping = !s.id.equals(before);
                    continue;
                }
                if (s.acceptedAt.isBefore(from) || (status != null && !status.equals(s.status))
                        || (target != null && !target.equals(s.target))) {
                    continue;
                }
                if (page.size() == limit) {
                    next = page.get(page.size() - 1).id();
                    break;
                }
                page.add(s.summary());
            }
        }
        java.util.function.Predicate<ActionSummary> keep =
                s -> (status == null || status.equals(s.status())) && (target == null || target.equals(s.target()));
        Instant after = from == Instant.MIN ? null : from;
        if (next == null && page.size() < limit) {
            // The rest of the history is on disk: outcome records carry each action's summary.
            long start = HistoryCursor.start(before, fromDisk, inMemory, history, journal);
            ActionHistory.Page older = history.page(start, keep, inMemory::contains, after, limit - page.size());
            page.addAll(older.items());
            if (older.next() >= 0) {
                next = "@" + older.next();
            }
        } else if (next == null && !page.isEmpty()
                && !history.page(Long.MAX_VALUE, keep, inMemory::contains, after, 1).items().isEmpty()) {
            // The page ended exactly at the oldest action in memory: older ones are on disk, so there is a next page.
            next = page.get(page.size() - 1).id();
        }
        return new ActionPage(page, next);
    }

    /**
     * Checks the journal's seals and chain; without {@code fresh}, full segments unchanged since the last check are

    /** Where action {@code id} stands; for a coalesced request, where the action covering it stands. */
    ActionStanding standing(String id) {
        ActionState s;
        ActionState covering;
        synchronized (m.lock) {
            ActionState holder = m.coveredBy.get(id);
            if (holder != null) {
                return ActionStanding.of(id, holder);
            }
            s = m.actions.get(id);
            if (s == null) {
                // The action holding an open window, however long ago it left the recent window (a few per target).
                for (ActionState open : m.windows.values()) {
                    if (open.id.equals(id)) {
                        return ActionStanding.of(open, open);
                    }
                }
            }
            covering = s == null || s.coalescedInto == null ? null : m.actions.get(s.coalescedInto);
            if (s != null && (s.coalescedInto == null || covering != null)) {
                return ActionStanding.of(s, covering == null ? s : covering);
            }
        }
        // Left memory (the recent window): read from the journal, as detail() does.
        s = s != null ? s : history.find(id);
        if (s == null) {
            throw new NotFoundException("no action " + id);
        }
        covering = s.coalescedInto == null ? null : history.find(s.coalescedInto);
        return ActionStanding.of(s, covering == null ? s : covering);
    }
}
