package safeguard.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Names that go into URL paths (file systems, sessions, job ids, reference sets) are encoded, never pasted. */
public final class UrlPath {
    private UrlPath() {
    }

    /** One path segment: '/' and spaces included, encoded (spaces as %20, not '+'). */
    public static String segment(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20");
    }
}
