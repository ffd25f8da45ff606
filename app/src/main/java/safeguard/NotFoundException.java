package safeguard;

/** Something the caller named does not exist; mapped to HTTP 404. */
public final class NotFoundException extends RuntimeException {
    public NotFoundException(String message) {
        super(message, null, false, false);
    }
}
