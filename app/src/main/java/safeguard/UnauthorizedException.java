package safeguard;

/** A caller who did not prove who they are (no or a wrong token, session or SEC); mapped to HTTP 401. */
public final class UnauthorizedException extends RuntimeException {
    private final String scheme;

    public UnauthorizedException(String message) {
        this(message, "Bearer");
    }

    /** {@code scheme} goes into WWW-Authenticate: "Bearer" for tokens, "QRadar-SEC" for console sessions. */
    public UnauthorizedException(String message, String scheme) {
        super(message, null, false, false);
        this.scheme = scheme;
    }

    public String scheme() {
        return scheme;
    }
}
