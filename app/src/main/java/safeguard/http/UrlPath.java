package safeguard.http;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Names that go into URL paths (file systems, sessions, job ids, reference sets) are encoded, never pasted. */
public final class UrlPath {
    private UrlPath() {
    }

    /**
     * One path segment: '/' and spaces included, encoded (spaces as %20, not '+'). '.' and '..' stay what they are
     * under any encoding (servers decode %2E), so callers refuse them as input; reaching here is a bug.
     */
    public static String segment(String s) {
        if (s.isEmpty() || s.equals(".") || s.equals("..")) {
            throw new IllegalArgumentException("not a path segment: '" + s + "'");
        }
        return URLEncoder.encode(s, StandardCharsets.UTF_8).replace("+", "%20").replace("*", "%2A");
    }
}
