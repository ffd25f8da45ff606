package safeguard.actions;

/** A request without the action token, or with a wrong one; mapped to HTTP 401. */
public final class UnauthorizedException extends RuntimeException {
    public UnauthorizedException(String message) {
        super(message, null, false, false);
    }
}
