package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * GET /api/journal/verify: whether every line is sealed and links to the one before, whether the journal still
 * ends where its sealed head says, and the first bad line if not; {@code damage} lists the findings no admin has
 * acknowledged yet (then {@code intact} is false even when the chain now reads consistent); {@code acknowledged}
 * marks a break an admin has acknowledged.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ChainReport(boolean intact, long records, int files, String brokenAtFile, Long brokenAtLine, String reason,
                          String checkedAt, Boolean acknowledged, java.util.List<DamageFinding> damage) {

    static ChainReport broken(long records, int files, String file, Long line, String reason) {
        return new ChainReport(false, records, files, file, line, reason, null, null, null);
    }

    ChainReport at(String time) {
        return new ChainReport(intact, records, files, brokenAtFile, brokenAtLine, reason, time, acknowledged, damage);
    }

    /** The break is one an admin acknowledged: still a fact about the files, no longer an alarm. */
    ChainReport asAcknowledged() {
        return new ChainReport(intact, records, files, brokenAtFile, brokenAtLine, reason, checkedAt, true, damage);
    }
}
