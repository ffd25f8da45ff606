package safeguard;

/** A known caller who may not do this (not a QRadar admin, or a request without the CSRF header); HTTP 403. */
public final class ForbiddenException extends RuntimeException {
    public ForbiddenException(String message) {
        super(message, null, false, false);
    }
}
