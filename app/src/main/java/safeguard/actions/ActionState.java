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
    /** The action a coalesced request was coalesced into, while known (not kept in checkpoints). */
    ActionState holder;
    /** The status the target ledger counts this action under (null until it is counted): see TargetLedger. */
    String counted;
    /** The copies that existed before the last run asked for one (journaled with its create), for a resumed run. */
    java.util.Set<String> existing;
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

    /** The statuses an action ends with; older journals' names stay here so their actions still read as ended. */
    static final java.util.Set<String> TERMINAL = java.util.Set.of("protected", "protected-not-as-planned",
            "not-protected", "unknown", "restored", "not-restored", "verified", "completed", "failed", "dry-run", "refused", "interrupted", "coalesced", "unrecoverable");

    boolean terminal() {
        return TERMINAL.contains(status);
    }

    /** A record's flat object of strings (a plan, a result), in order; empty when absent. */
    static Map<String, String> strings(com.fasterxml.jackson.databind.JsonNode object) {
        Map<String, String> out = new LinkedHashMap<>();
        object.fields().forEachRemaining(e -> out.put(e.getKey(), e.getValue().asText()));
        return out;
    }

    /** The action as its first record (accepted, coalesced or refused) describes it. */
    static ActionState first(safeguard.journal.JournalRecord r) {
        com.fasterxml.jackson.databind.JsonNode d = r.data();
        Map<String, String> plan = strings(d.path("plan"));
        ActionContext ctx = d.hasNonNull("context")
                ? safeguard.Json.mapper().convertValue(d.path("context"), ActionContext.class) : null;
        String status = r.event().equals("accepted") ? "accepted" : r.event();
        ActionState s = new ActionState(r.action(), d.path("type").asText(), d.path("target").asText(),
                d.path("scope").asText(), ctx, Instant.parse(r.time()), plan, d.path("dryRun").asBoolean(),
                d.path("into").asText(null), status);
        if (status.equals("refused") || status.equals("unrecoverable")) {
            s.finishedAt = s.acceptedAt;
            s.error = d.path("reason").asText(null);
        }
        return s;
    }

    /** Applies one of the action's later records (the first one is {@link #first}). */
    void apply(safeguard.journal.JournalRecord r) {
        com.fasterxml.jackson.databind.JsonNode d = r.data();
        switch (r.event()) {
            case "refused" -> {
                status = "refused";
                finishedAt = Instant.parse(r.time());
                error = d.path("reason").asText(null);
            }
            case "started" -> {
                started = true;
                status = "running";
            }
            case "resumed" -> status = started ? "running" : "accepted";
            default -> {
                if (TERMINAL.contains(r.event()) || d.has("summary")) {
                    status = r.event();
                    finishedAt = Instant.parse(r.time());
                    result = strings(d.path("result"));
                    error = d.path("error").asText(d.path("reason").asText(null));
                }
            }
        }
    }

    ActionSummary summary() {
        return summaryAs(status, finishedAt, result, error);
    }

    /** The summary the action will have once it ends so (for the outcome record, written before the state changes). */
    ActionSummary summaryAs(String status, Instant finishedAt, Map<String, String> result, String error) {
        Long duration = finishedAt == null ? null : Duration.between(acceptedAt, finishedAt).toMillis();
        return new ActionSummary(id, type, target, scope, status, acceptedAt.toString(),
                finishedAt == null ? null : finishedAt.toString(), duration, context, coalescedInto, coalesced, dryRun,
                result == null || result.isEmpty() ? null : Map.copyOf(result), error);
    }
}
