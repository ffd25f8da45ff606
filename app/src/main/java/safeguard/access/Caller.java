package safeguard.access;

/**
 * Who is calling: a QRadar user (checked with the console) or the local admin.
 *
 * @param viaCookie  the proof came in a cookie the browser sends by itself, so state changes also need the
 *                   CSRF header (a bearer header cannot be forged cross-site)
 * @param adminUnknown why being an administrator could not be checked (the console failed us), else null
 */
public record Caller(String user, boolean admin, String mode, boolean viaCookie, String adminUnknown) {
    public Caller(String user, boolean admin, String mode, boolean viaCookie) {
        this(user, admin, mode, viaCookie, null);
    }
}
