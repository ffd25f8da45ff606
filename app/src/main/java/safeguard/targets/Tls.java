package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * How a target's certificate is trusted. {@code verify} (default): the JVM's CAs, QRadar's CA bundle and an
 * optional uploaded PEM, with hostname verification. {@code pinned}: only the certificate whose SHA-256
 * fingerprint is given (for self-signed storage GUIs). {@code insecure}: anything; flagged on every use.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Tls(String mode, String caPem, String pinnedSha256) {
    public static final Tls VERIFY = new Tls("verify", null, null);

    /** Pins are shown and stored in one format (colon-separated upper-case hex), whatever was stored before. */
    public Tls {
        pinnedSha256 = safeguard.http.PeerTrust.normalise(pinnedSha256);
    }

    public boolean insecure() {
        return "insecure".equals(mode);
    }
}
