package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * The 202 body: accepted, coalesced (into the action that covers it, with where that action stands now:
 * "running", "protected at …", "not protected at …"), dry-run, or refused (with the reason).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionAnswer(String id, String status, String coalescedInto, String reason, String covering) {
    public ActionAnswer(String id, String status, String coalescedInto, String reason) {
        this(id, status, coalescedInto, reason, null);
    }

    /** This answer, saying where the covering action stands now. */
    public ActionAnswer covering(String standing) {
        return new ActionAnswer(id, status, coalescedInto, reason, standing);
    }
}
