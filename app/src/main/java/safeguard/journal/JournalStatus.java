package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The journal as health and the tab show it: {@code state} is "verifying" (start-up check under way), "intact"
 * or "damaged"; {@code check} the last verification; {@code repairs} what start-up cut off (torn last records);
 * {@code segment} the file new records go to (a new one is started when damage is found, so the damaged file is
 * kept as it is, for forensics).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalStatus(String state, ChainReport check, List<String> repairs, Journal.Damage damage, String segment) {
}
