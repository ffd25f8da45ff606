package safeguard.health;

/** What GET /api/health answers: enough for an admin or a monitor to see the app is alive and can persist. */
public record Health(
        String status,
        String version,
        String startedAt,
        long uptimeSeconds,
        StoreHealth store,
        boolean insideQradar,
        boolean qradarOnCloud,
        safeguard.journal.JournalStatus journal,
        Object offenses) {

    public record StoreHealth(String path, boolean writable) {
    }
}
