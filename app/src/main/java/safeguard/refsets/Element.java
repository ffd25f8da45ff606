package safeguard.refsets;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One value of a reference set; times are ISO-8601 (QRadar's epoch milliseconds converted). */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Element(String value, String source, String firstSeen, String lastSeen) {
}
