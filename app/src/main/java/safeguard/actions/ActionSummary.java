package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** One row of the actions list: what was asked, by which rule, and where it stands. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionSummary(
        String id,
        String type,
        String target,
        String scope,
        String status,
        String acceptedAt,
        String finishedAt,
        Long durationMs,
        ActionContext context,
        String coalescedInto,
        int coalesced,
        boolean dryRun,
        Map<String, String> result,
        String error) {
}
