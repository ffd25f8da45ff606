package safeguard.offenses;

/** A QRadar rule as the Settings page offers it ({@code GET /analytics/rules}). */
public record QradarRule(long id, String name, boolean enabled, String type, String origin) {
}
