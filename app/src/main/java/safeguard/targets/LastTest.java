package safeguard.targets;

/**
 * The newest connection test of a target, kept by the app (store/target-tests.json) so the Targets page shows the
 * target's health after a reload and to every analyst, not only in the browser that ran the test.
 */
public record LastTest(String at, boolean ok, String summary) {
}
