package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The journal as health and the tab show it: {@code state} is "verifying" (start-up check under way), "intact",
 * "damaged" (a finding no admin has acknowledged, or a broken chain), "acknowledged" (the chain is broken where
 * an admin acknowledged the damage: a fact about the files, no longer an alarm) or "read-only" (the writer failed:
 * {@code failure} says why; nothing is accepted until the app is restarted); {@code check} the last verification;
 * {@code repairs} what start-up cut off (torn records the head never sealed); {@code damage} the first open
 * finding; {@code findings} every finding kept, acknowledged ones included; {@code segment} the file new records
 * go to (a new one is started when damage is found, so the damaged file is kept as it is, for forensics).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JournalStatus(String state, ChainReport check, List<String> repairs, Journal.Damage damage, String segment,
                            List<DamageFinding> findings, String failure) {
}
