package safeguard.content;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One piece of content after a reconcile: {@code created} now, {@code present} as defined, {@code updated} (ours,
 * brought back in line with dsm/), {@code drifted} (someone else's and different from dsm/: left alone),
 * {@code missing} (a failed run did not get to it yet).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ItemStatus(String kind, String name, String id, String state, String detail) {
}
