package safeguard.dsm;

/** A QRadar QID record: what an (event ID, category) pair is called, how severe it is, and its category. */
public record QidRecord(
        String eventId,
        String name,
        String description,
        int severity,
        int lowLevelCategoryId,
        String lowLevelCategory) {
}
