package safeguard;

/** The app cannot take the request now (the journal's queue is full, or it is read-only); HTTP 503 with Retry-After. */
public class UnavailableException extends RuntimeException {
    private final long retryAfterSeconds;

    public UnavailableException(String message, long retryAfterSeconds) {
        super(message, null, false, false);
        this.retryAfterSeconds = retryAfterSeconds;
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
