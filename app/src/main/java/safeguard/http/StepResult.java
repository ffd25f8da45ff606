package safeguard.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The outcome of one storage operation as a value the caller can journal: whether it worked, whether the result
 * was confirmed by reading it back, what it produced (snapshot name, backup id, job status...), why it failed,
 * and every HTTP exchange it took.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record StepResult(boolean ok, boolean verified, Map<String, String> details, String error, List<CallRecord> calls) {

    public StepResult {
        details = details == null ? Map.of() : Map.copyOf(details);
        calls = List.copyOf(calls);
    }
}
