package safeguard.recover;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A copy a recovery could start from: a Scale snapshot (by name) or a CSM Safeguarded backup (by id), when it was
 * taken, whether the storage system shows it valid now ({@code verified}), whether it predates the incident's first
 * suspicious event, and in words why it is or is not the proposed one.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Candidate(String id, String takenAt, boolean verified, boolean beforeIncident, String expiresAt,
                        String why) {
}
