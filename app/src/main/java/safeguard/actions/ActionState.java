package safeguard.actions;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** What the service knows of one action, rebuilt from the journal at start-up; guarded by the service's lock. */
final class ActionState {
    final String id;
    final String type;
    final String target;
    final String scope;
    final ActionContext context;
    final Instant acceptedAt;
    final Map<String, String> plan;
    final boolean dryRun;
    final String coalescedInto;
    String status;
    Instant finishedAt;
    int coalesced;
    boolean started;
    Map<String, String> result = Map.of();
    String error;
    /** Where each of the action's journal records is (see Journal.Written): the records stay on disk. */
    final List<Long> timeline = new ArrayList<>(4);

    ActionState(String id, String type, String target, String scope, ActionContext context, Instant acceptedAt,
                Map<String, String> plan, boolean dryRun, String coalescedInto, String status) {
        this.id = id;
        this.type = type;
        this.target = target;
        this.scope = scope;
        this.context = context;
        this.acceptedAt = acceptedAt;
        this.plan = plan == null ? Map.of() : new LinkedHashMap<>(plan);
        this.dryRun = dryRun;
        this.coalescedInto = coalescedInto;
        this.status = status;
    }

    boolean terminal() {
        return switch (status) {
            case "protected", "protected-not-as-planned", "not-protected", "unknown",
                 "verified", "completed", "failed", "dry-run", "refused", "interrupted", "coalesced" -> true;
            default -> false;
        };
    }

    ActionSummary summary() {
        Long duration = finishedAt == null ? null : Duration.between(acceptedAt, finishedAt).toMillis();
        return new ActionSummary(id, type, target, scope, status, acceptedAt.toString(),
                finishedAt == null ? null : finishedAt.toString(), duration, context, coalescedInto, coalesced, dryRun,
                result.isEmpty() ? null : Map.copyOf(result), error);
    }
}
