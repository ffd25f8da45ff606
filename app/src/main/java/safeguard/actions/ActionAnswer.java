package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;

/** The 202 body: accepted, coalesced (into the action that covers it), dry-run, or refused (with the reason). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionAnswer(String id, String status, String coalescedInto, String reason) {
}
