package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;

/**
 * One line of the journal. {@code prev} is the SHA-256 of the previous line's exact bytes (64 zeros for the
 * first line ever), so changing, removing or reordering any line breaks the chain at the next one; {@code mac}
 * (absent on lines written before sealing existed) is the line's HMAC under a key kept outside the journal.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalRecord(long seq, String time, String action, String event, JsonNode data, String prev, String mac) {
}
