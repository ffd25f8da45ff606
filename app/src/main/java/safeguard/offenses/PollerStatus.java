package safeguard.offenses;

/**
 * How offense polling stands. {@code state}: ok, off (no triggers), unauthorized (QRadar answered 401/403: the
 * app's authorization lacks the offenses capability), backing-off (429, 5xx, unreachable) or error;
 * {@code bookmark} the last {@code last_persisted_time} read; {@code acted} offenses (and targets) acted upon.
 */
public record PollerStatus(String state, String message, String lastPollAt, Long bookmark, int acted, String retryAt) {
}
