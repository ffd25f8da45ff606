package safeguard.web;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiConsumer;

/**
 * Sent with every answer. The policy fits the vendored page: its script and styles are files of this app (no
 * inline script or style, nothing from another origin). QRadar shows the tab in an iframe of the console, which
 * serves it through its app proxy from the console's own origin: so framing by 'self' (and the console by name,
 * when known) stays allowed, and no X-Frame-Options DENY is sent.
 */
public final class SecurityHeaders {
    private final Map<String, String> headers = new LinkedHashMap<>();

    /** {@code consoleFqdn}: QRADAR_CONSOLE_FQDN inside QRadar. */
    public SecurityHeaders(Optional<String> consoleFqdn) {
        String ancestors = "'self'" + consoleFqdn.map(f -> " https://" + f).orElse("");
        headers.put("Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                + "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; "
                + "form-action 'self'; frame-ancestors " + ancestors);
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
    }

    void apply(BiConsumer<String, String> header) {
        headers.forEach(header);
    }
}
