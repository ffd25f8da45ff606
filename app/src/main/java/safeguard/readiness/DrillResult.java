package safeguard.readiness;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One drill as it ended: when, on what, the verdict as any action's (read back from the storage system), why. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillResult(String id, String target, String at, String status, Map<String, String> details,
                          String error) {
}
