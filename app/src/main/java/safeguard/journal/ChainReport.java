package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

/** GET /api/journal/verify: whether every line links to the one before, and where the chain breaks if not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainReport(boolean intact, long records, int files, String brokenAtFile, Long brokenAtLine, String reason) {
}
