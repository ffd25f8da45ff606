package safeguard.actions;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** One page of actions, newest first; pass {@code next} as {@code before} for the following page. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionPage(List<ActionSummary> items, String next) {
}
