package safeguard.access;

/** Turns what a request presented into a {@link Caller}, or throws {@link safeguard.UnauthorizedException}. */
public interface Authenticator {
    Caller identify(Credentials credentials);

    /** "qradar" inside QRadar (console sessions), "local" outside (the admin token). */
    String mode();
}
