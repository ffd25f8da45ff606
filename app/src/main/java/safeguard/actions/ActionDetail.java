package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** GET /api/actions/{id}: the summary and every journal record of the action, in order. */
public record ActionDetail(ActionSummary action, List<Step> timeline) {
    public record Step(long seq, String time, String event, JsonNode data) {
    }
}
