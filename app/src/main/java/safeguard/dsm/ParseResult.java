package safeguard.dsm;

import java.util.Map;

/** What the DSM makes of one line: a parsed event, or the reason it is not a Scale audit event. */
public sealed interface ParseResult {

    record Parsed(
            String logSourceIdentifier,
            String eventId,
            String eventCategory,
            QidRecord qid,
            Map<String, String> properties) implements ParseResult {
    }

    record Rejected(String reason) implements ParseResult {
    }
}
