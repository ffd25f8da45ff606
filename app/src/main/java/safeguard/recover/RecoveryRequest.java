package safeguard.recover;

import java.util.List;

/**
 * POST /api/recoveries. {@code action}: any action of the incident. Scale: {@code snapshot} (default: the proposed
 * one), {@code paths} (default: the paths the incident's events named), {@code destination} (one path only;
 * default {@code <path>.restored-<snapshot>} beside it), {@code overwrite} (copy over live data; off unless ticked).
 * CSM: {@code backupId} (default: the proposed one). {@code dryRun} lists the exact calls and changes nothing;
 * otherwise {@code confirm} must be the target's name.
 */
public record RecoveryRequest(String action, String snapshot, String backupId, List<String> paths, String destination,
                              Boolean overwrite, Boolean dryRun, String confirm) {
}
