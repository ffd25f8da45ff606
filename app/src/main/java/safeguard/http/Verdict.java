package safeguard.http;

/**
 * What an action can truthfully say about the copy it asked for. The names are the journal's outcome events
 * and the statuses the API, the UI and the custom-action script show.
 */
public enum Verdict {
    /** The copy exists as planned, read back from the storage system. */
    PROTECTED("protected"),
    /** A copy exists, but its expiry or name differs from the plan (the result carries both). */
    PROTECTED_NOT_AS_PLANNED("protected-not-as-planned"),
    /** The storage system refused, or the copy is not there. */
    NOT_PROTECTED("not-protected"),
    /** Could not confirm either way: timeout, lost answer, confirmation bound reached. */
    UNKNOWN("unknown");

    private final String status;

    Verdict(String status) {
        this.status = status;
    }

    public String status() {
        return status;
    }
}
