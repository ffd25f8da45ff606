package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/**
 * GET /api/actions/{id}/outcome: where an action stands, for the custom action waiting on it and for coalesced
 * answers. For a coalesced request it is the covering action's standing ({@code id} is that action,
 * {@code request} the coalesced one). {@code finished} is true once {@code status} is final; {@code summary}
 * says it in a few words ("running", "protected at 2026-11-24T10:15:03Z", "not protected at …").
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionStanding(String id, String request, String type, String target, String status, boolean finished,
                             String acceptedAt, String finishedAt, Map<String, String> result, String error,
                             String summary) {

    /** Read under the service's lock. */
    static ActionStanding of(ActionState requested, ActionState s) {
        return of(requested == s ? null : requested.id, s);
    }

    /** {@code request}: the coalesced request's id, null when asked about {@code s} itself. Read under the lock. */
    static ActionStanding of(String request, ActionState s) {
        return new ActionStanding(s.id, request, s.type, s.target, s.status, s.terminal(),
                s.acceptedAt.toString(), s.finishedAt == null ? null : s.finishedAt.toString(),
                s.result.isEmpty() ? null : Map.copyOf(s.result), s.error, phrase(s));
    }

    static String phrase(ActionState s) {
        String at = s.finishedAt == null ? "" : " at " + s.finishedAt;
        return switch (s.status) {
            case "accepted" -> "waiting in the target's queue";
            case "running" -> "running";
            case "protected" -> "protected" + at;
            case "protected-not-as-planned" -> "protected" + at + ", but not as planned";
            case "not-protected" -> "not protected" + at;
            case "unknown" -> "unconfirmed" + at + " (could not confirm the copy)";
            case "dry-run" -> "a dry run (nothing was done)";
            case "restored" -> "restored" + at + " (read back)";
            case "not-restored" -> "not restored" + at;
            // Outcomes journaled by versions before the honest vocabulary.
            case "verified" -> "verified" + at;
            case "completed" -> "completed" + at + " (not confirmed)";
            case "failed" -> "failed" + at;
            default -> s.status + at;
        };
    }
}
