package safeguard.content;

/**
 * One piece of QRadar content the app knows: its kind, name and QRadar id, and whether the app created it
 * (only what it created is ever removed by the uninstall hook).
 */
public record LedgerEntry(String kind, String name, String id, boolean created) {
}
