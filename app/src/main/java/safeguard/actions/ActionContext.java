package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;

/** Where an action came from: the QRadar rule and the event that fired it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionContext(String rule, String user, String path, String filename, String eventTime, String offenseId) {
}
