package safeguard.actions;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Map;
import safeguard.http.Identities;
import safeguard.http.Protection;
import safeguard.http.Verdict;
import safeguard.targets.Connector;

/**
 * The storage work of one action, from its plan: talks to the target and says truthfully how it ended. It knows
 * nothing of queues, coalescing or idempotency (ActionService), only of the storage systems and what they
 * answered. Every request is journaled before it is sent ({@link CallJournal}); a resumed run first looks for
 * what an earlier run may have created and adopts it instead of asking again.
 */
final class ActionRunner {
    private final Connector connector;

    ActionRunner(Connector connector) {
        this.connector = connector;
    }

    /**
     * Runs the plan of {@code s}; {@code resuming} is true when an earlier run may have reached the storage system
     * before the app stopped. Throws (and records no outcome) only when the journal itself refuses a record.
     */
    Outcome run(ActionState s, boolean resuming, ActionLog log) {
        CallJournal calls = new CallJournal(log, resuming
                ? "r" + Long.toString(Math.max(0, Duration.between(s.acceptedAt, Instant.now()).toMillis()), 36) : "1");
        Instant since = resuming ? s.acceptedAt : null;
        // Journaled with the create (in its request record), so a resumed run knows which copies are not its own
        // (no clocks compared).
        Identities ids = new Identities(resuming ? s.existing : null, calls::existing);
        Protection p;
        try (Connector.Session session = connector.open(s.target)) {
            session.upstream().observe(calls);
            p = switch (s.type) {
                case "scale-snapshot" -> connector.scale(session).createSnapshot(s.plan.get("fileSystem"),
                        s.plan.get("fileset"), s.plan.get("snapshot"), Instant.parse(s.plan.get("expiresAt")),
                        ZoneId.of(s.plan.get("clusterTimeZone")), resuming);
                case "csm-backup" -> s.plan.containsKey("scheduledTask")
                        ? connector.csm(session).runScheduledTask(s.plan.get("scheduledTask"), since, ids)
                        : connector.csm(session).runSessionCommand(s.plan.get("session"), s.plan.get("command"), since, ids);
                case "scale-restore" -> connector.scaleCopies(session).restore(RestorePlans.scale(s.plan), resuming);
                case "csm-recover" -> connector.csm(session).recoverBackup(s.plan.get("session"), s.plan.get("backupId"));
                default -> connector.cdm(session).runJob(s.plan.get("job"), since, ids, firstEvent(s));
            };
        } catch (CallJournal.Unrecorded e) {
            throw e;
        } catch (RuntimeException e) {
            // A deleted target, an unreadable key: the action still ends with an outcome in the journal, and it
            // says "unknown" when something may have been created before the failure.
            String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            p = Protection.of(calls.asked() || resuming ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, Map.of(), why);
        }
        if (ActionService.RECOVERY_TYPES.contains(s.type)) {
            // A restore that did not start the run it watched restored nothing itself, whatever that run did.
            String status = p.details().containsKey("foreignRun") ? "not-restored" : restoreStatus(p.verdict());
            return new Outcome(status, p.details(), p.error());
        }
        return new Outcome(p.verdict().status(), p.details(), p.error());
    }

    /** When the incident began: its first event's time as the storage system stamped it, else when it was accepted. */
    static Instant firstEvent(ActionState s) {
        String t = s.context == null ? null : s.context.eventTime();
        if (t != null) {
            try {
                return java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException e) {
                // free text from the event: the acceptance time stands in
            }
        }
        return s.acceptedAt;
    }


    /** A restore's words for the same truths: read back as asked, not there, or not confirmed. */
    static String restoreStatus(Verdict v) {
        return switch (v) {
            case PROTECTED, PROTECTED_NOT_AS_PLANNED -> "restored";
            case NOT_PROTECTED -> "not-restored";
            case UNKNOWN -> "unknown";
        };
    }
}
