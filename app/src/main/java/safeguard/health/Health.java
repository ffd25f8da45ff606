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
        Object offenses,
        safeguard.readiness.Readiness.Summary readiness) {

    /**
     * {@code bytesOnDisk}: what the store's files take (the journal is most of it); {@code permissionsFixed} and
     * {@code permissionsNotFixed}: what the start-up check found looser than owner-only (files 0600, folders 0700).
     */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_EMPTY)
    public record StoreHealth(String path, boolean writable, long bytesOnDisk, java.util.List<String> permissionsFixed,
                              java.util.List<String> permissionsNotFixed) {
    }
}
