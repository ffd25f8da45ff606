package safeguard.access;

/** What a request presented; any may be null. {@code secFromCookie} tells a browser's SEC from an API client's. */
public record Credentials(String sec, boolean secFromCookie, String bearer, String session) {
}
