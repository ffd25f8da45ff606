package safeguard.recover;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * A checked restore: what it copies from where to where, the exact upstream calls in order, and, when not a dry
 * run, the action that now runs it ({@code id}, its timeline at /api/actions/{id}).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RecoveryPlan(String id, String status, boolean dryRun, String type, String target, String recoveryOf,
                           Map<String, String> plan, List<String> calls, List<String> warnings) {
}
