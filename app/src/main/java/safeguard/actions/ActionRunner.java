package safeguard.actions;

import java.time.Instant;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.http.CallRecord;
import safeguard.http.StepResult;
import safeguard.targets.Connector;

/**
 * The storage work of one action, from its plan: talks to the target and says how it ended. It knows nothing of
 * queues, coalescing or idempotency (ActionService), only of the storage systems and what they answered.
 */
final class ActionRunner {
    private final Connector connector;

    ActionRunner(Connector connector) {
        this.connector = connector;
    }

    /**
     * Runs the plan of {@code s}; {@code resuming} is true when an earlier run may have reached the storage system
     * before the app stopped.
     */
    Outcome run(ActionState s, boolean resuming, ActionLog log) {
        StepResult r;
        try (Connector.Session session = connector.open(s.target)) {
            r = switch (s.type) {
                case "scale-snapshot" -> connector.scale(session).createSnapshot(s.plan.get("fileSystem"),
                        s.plan.get("fileset"), s.plan.get("snapshot"), Instant.parse(s.plan.get("expiresAt")),
                        ZoneId.of(s.plan.get("clusterTimeZone")));
                case "csm-backup" -> s.plan.containsKey("scheduledTask")
                        ? connector.csm(session).runScheduledTask(s.plan.get("scheduledTask"))
                        : connector.csm(session).runSessionCommand(s.plan.get("session"), s.plan.get("command"));
                default -> connector.cdm(session).runJob(s.plan.get("job"));
            };
        } catch (RuntimeException e) {
            // A deleted target, an unreadable key: the action still ends with an outcome in the journal.
            r = new StepResult(false, false, Map.of(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), List.of());
        }
        for (CallRecord c : r.calls()) {
            log.record("call", Json.mapper().valueToTree(c));
        }
        return new Outcome(!r.ok() ? "failed" : r.verified() ? "verified" : "completed", r.details(), r.error());
    }

    /** Whether an action stopped mid-run can be run again safely; the others are marked interrupted. */
    static boolean resumable(ActionState s) {
        // Scale snapshots are named at acceptance: running again finds "already exists" at worst.
        return s.type.equals("scale-snapshot") || !s.started;
    }
}
