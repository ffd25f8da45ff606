package safeguard.overview;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.time.Clock;
import safeguard.actions.ActionService;
import safeguard.actions.ActionSummary;
import safeguard.actions.TargetLedger;
import safeguard.journal.ChainReport;
import safeguard.journal.JournalStatus;
import safeguard.overview.OverviewReport.Activity;
import safeguard.overview.OverviewReport.Copy;
import safeguard.overview.OverviewReport.LastAction;
import safeguard.overview.OverviewReport.TargetState;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * What an analyst wants first: is each target protected, by which copy and until when, what happened in the last
 * day, and can the journal be trusted. Reads the per-target state the engine keeps as actions change
 * ({@link ActionService#targetLedger}), so a load takes the same time on a long history as on a short one.
 */
public final class Overview {
    static final int HOURS = 24;
    /** Outcomes that say something about the data's protection; the others (coalesced, refused…) do not. */
    static final Set<String> PROTECTED = TargetLedger.PROTECTED;
    static final Set<String> NOT_PROTECTED = TargetLedger.NOT_PROTECTED;
    private static final DateTimeFormatter SCALE_EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm");

    private final ActionService actions;
    private final TargetService targets;
    private final Clock clock;

    public Overview(ActionService actions, TargetService targets, Clock clock) {
        this.actions = actions;
        this.targets = targets;
        this.clock = clock;
    }

    public OverviewReport report() {
        Instant now = clock.instant();
        // Buckets end at the next full hour so the newest bar is the current hour.
        Instant end = now.truncatedTo(ChronoUnit.HOURS).plus(Duration.ofHours(1));
        Instant start = end.minus(Duration.ofHours(HOURS));
        long firstHour = TargetLedger.hourOf(start);
        Map<String, TargetLedger.Entry> ledger = actions.targetLedger();
        List<TargetState> states = new ArrayList<>();
        for (Target t : targets.all()) {
            TargetLedger.Entry e = ledger.get(t.name());
            Tally tally = new Tally();
            if (e != null) {
                e.hours().forEach((hour, counts) -> {
                    int i = (int) (hour - firstHour);
                    if (i >= 0 && i < HOURS) {
                        counts.forEach((status, n) -> {
                            tally.total += n;
                            tally.perHour[i] += n;
                            tally.byStatus.merge(status, n, Integer::sum);
                        });
                    }
                });
                tally.newest = e.newest() != null && !at(e.newest()).isBefore(start) ? e.newest() : null;
                tally.decisive = e.decisive();
                tally.protectedCopy = e.protectedCopy();
                tally.lastFailure = e.lastFailure();
            }
            states.add(state(t, tally, now));
        }
        // The last check (at start, then every minute, or by GET /api/journal/verify): a load never waits for one,
        // which re-reads the newest segment (up to 16 MB) under the journal's lock.
        JournalStatus js = actions.journalStatus();
        ChainReport c = js.check();
        boolean intact = "intact".equals(js.state());
        OverviewReport.Journal journal = c == null
                ? new OverviewReport.Journal(false, 0, "the journal is being checked", null, null, js.state(), null)
                : new OverviewReport.Journal(intact, c.records(), intact ? null : c.reason() != null ? c.reason()
                        : js.damage() == null ? null : js.damage().toString(), c.brokenAtFile(), c.brokenAtLine(),
                        js.state(), c.checkedAt());
        return new OverviewReport(now.toString(), HOURS, start.toString(), journal, states);
    }

    private TargetState state(Target t, Tally tally, Instant now) {
        Copy copy = tally.protectedCopy == null ? null : copy(t, tally.protectedCopy, now);
        ActionSummary last = tally.decisive;
        String state;
        String reason;
        if (last == null) {
            state = "unknown";
            reason = t.dryRun() ? "dry run: actions are journaled, no storage system is called"
                    : "no action has run on this target yet";
        } else if (PROTECTED.contains(last.status())) {
            boolean expired = copy != null && Boolean.TRUE.equals(copy.expired());
            state = expired ? "not-protected" : "protected";
            reason = expired ? "the last verified copy expired at " + copy.expiresAt()
                    : "the last action's copy was read back from the storage system"
                    + ("protected-not-as-planned".equals(last.status()) ? ", though not as planned" : "");
        } else if (NOT_PROTECTED.contains(last.status())) {
            state = "not-protected";
            reason = "the last action failed" + (last.error() == null ? "" : ": " + last.error());
        } else {
            state = "unknown";
            reason = switch (last.status()) {
                case "completed" -> "the storage system accepted the last action; it gives nothing to read back";
                case "interrupted" -> "the last action was interrupted by a restart: check the storage system";
                default -> "the last action's outcome could not be established";
            };
        }
        return new TargetState(t.name(), t.kind(), t.dryRun(), state, reason, copy,
                new Activity(tally.total, tally.byStatus, Arrays.stream(tally.perHour).boxed().toList()),
                tally.newest == null ? null : new LastAction(tally.newest.id(), tally.newest.status(), tally.newest.acceptedAt()),
                tally.lastFailure == null ? null : new OverviewReport.Failure(tally.lastFailure.id(),
                        tally.lastFailure.status(), tally.lastFailure.finishedAt() == null ? tally.lastFailure.acceptedAt()
                        : tally.lastFailure.finishedAt(), tally.lastFailure.error()));
    }

    private static Copy copy(Target t, ActionSummary a, Instant now) {
        Map<String, String> r = a.result() == null ? Map.of() : a.result();
        String name = first(r, "snapshot", "backupId", "taskId", "job");
        Instant expires = expiry(t, r);
        return new Copy(a.id(), a.finishedAt() == null ? a.acceptedAt() : a.finishedAt(), name,
                expires == null ? null : expires.toString(), expires == null ? null : !expires.isAfter(now),
                !"protected-not-as-planned".equals(a.status()));
    }

    /** Scale answers the expiry in the cluster's time zone to the minute; an ISO instant is taken as it is. */
    public static Instant expiry(Target t, Map<String, String> result) {
        String iso = result.get("expiresAt");
        try {
            if (iso != null) {
                return Instant.parse(iso);
            }
            String scale = result.get("expirationTime");
            if (scale != null) {
                String zone = t.scale() == null || t.scale().clusterTimeZone() == null ? "UTC" : t.scale().clusterTimeZone();
                return LocalDateTime.parse(scale, SCALE_EXPIRATION).atZone(ZoneId.of(zone)).toInstant();
            }
        } catch (java.time.DateTimeException e) { // a value or zone this release spells differently: no expiry shown
            return null;
        }
        return null;
    }

    private static String first(Map<String, String> m, String... keys) {
        for (String k : keys) {
            if (m.get(k) != null) {
                return m.get(k);
            }
        }
        return null;
    }

    private static Instant at(ActionSummary a) {
        return Instant.parse(a.acceptedAt());
    }

    /** One target's day, from the ledger. */
    private static final class Tally {
        int total;
        final Map<String, Integer> byStatus = new HashMap<>();
        final int[] perHour = new int[HOURS];
        ActionSummary newest;
        ActionSummary decisive;
        ActionSummary protectedCopy;
        ActionSummary lastFailure;
    }
}
