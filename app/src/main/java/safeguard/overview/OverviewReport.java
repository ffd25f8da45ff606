package safeguard.overview;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * GET /api/overview: the state of every target at a glance, from the state the engine keeps per target.
 *
 * @param bucketStart the start of the first of {@code perHour}'s 24 hourly buckets (the oldest)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record OverviewReport(String generatedAt, int windowHours, String bucketStart, Journal journal,
                             List<TargetState> targets) {

    /**
     * Whether the journal's hash chain held at its last check ({@code checkedAt}; the app checks at start and every
     * minute): {@code state} is {@code verifying} (no check has finished yet: not claimed intact), {@code intact} or
     * {@code damaged}.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Journal(boolean intact, long records, String reason, String brokenAtFile, Long brokenAtLine,
                          String state, String checkedAt) {
    }

    /**
     * @param state  {@code protected}, {@code not-protected} or {@code unknown}
     * @param reason one sentence saying why, for a person
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record TargetState(String name, String kind, boolean dryRun, String state, String reason,
                              Copy lastVerifiedCopy, Activity last24h, LastAction lastAction, Failure lastFailure) {
    }

    /** The newest action on the target that failed to protect the data, however long ago. */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Failure(String actionId, String status, String at, String error) {
    }

    /** The newest copy the app read back from the storage system (or that the system confirmed). */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record Copy(String actionId, String at, String name, String expiresAt, Boolean expired, boolean asPlanned) {
    }

    /** Actions accepted in the window: how many, by status, and per hour (oldest first). */
    public record Activity(int total, Map<String, Integer> byStatus, List<Integer> perHour) {
    }

    public record LastAction(String id, String status, String at) {
    }
}
