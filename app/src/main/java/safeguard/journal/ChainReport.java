package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * GET /api/journal/verify: whether every line is sealed and links to the one before, whether the journal still
 * ends where its sealed head says, and the first bad line if not.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainReport(boolean intact, long records, int files, String brokenAtFile, Long brokenAtLine, String reason,
                          String checkedAt) {

    static ChainReport broken(long records, int files, String file, Long line, String reason) {
        return new ChainReport(false, records, files, file, line, reason, null);
    }

    ChainReport at(String time) {
        return new ChainReport(intact, records, files, brokenAtFile, brokenAtLine, reason, time);
    }
}
