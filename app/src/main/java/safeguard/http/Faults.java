package safeguard.http;

import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLHandshakeException;

/**
 * The one place where a failed call becomes words and a decision: journals, connection tests, status pages and
 * logs all say the same thing for the same fault, and {@link Upstream} retries exactly the faults that can heal.
 */
public final class Faults {
    private Faults() {
    }

    /** Why a call never got an HTTP answer, in a few words (kept for callers outside the storage clients). */
    public static String describe(Throwable e) {
        return classify(e, Optional.empty(), null).message();
    }

    /**
     * Classifies a transport failure with {@code host}. {@code fingerprint} is the certificate the server showed,
     * if any: a trust failure names it, in the one format the app uses everywhere, so the operator can pin
     * exactly that.
     */
    public static Fault classify(Throwable e, Optional<String> fingerprint, String host) {
        Throwable root = e;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof PeerTrust.PinMismatch m) {
                return new Fault(Fault.Kind.TLS_UNTRUSTED, "the certificate (SHA-256 " + m.seen()
                        + ") is not the pinned one; if the storage system's certificate was renewed on purpose, pin the new fingerprint");
            }
            if (t instanceof CertificateException) {
                return untrusted(fingerprint);
            }
            if (t instanceof UnknownHostException || t instanceof UnresolvedAddressException) {
                String name = host != null ? host : t.getMessage();
                return new Fault(Fault.Kind.DNS, "the host" + (name == null ? "" : " " + name)
                        + " does not resolve (DNS); check the host name");
            }
            if (t instanceof HttpConnectTimeoutException) {
                return new Fault(Fault.Kind.REFUSED, "no connection within the connect timeout (host down or filtered)");
            }
            if (t instanceof HttpTimeoutException) {
                return new Fault(Fault.Kind.TIMEOUT, "timed out");
            }
            if (t instanceof NoRouteToHostException) {
                return new Fault(Fault.Kind.REFUSED, "no route to the host");
            }
            root = t;
        }
        // Second pass: the wrappers (ConnectException around DNS, SSLHandshakeException around a certificate
        // failure) only decide when nothing more specific was found above.
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SSLHandshakeException && fingerprint.isPresent() && mentionsTrust(t)) {
                return untrusted(fingerprint);
            }
            if (t instanceof SSLException) {
                return new Fault(Fault.Kind.TLS, "TLS failure: " + deepest(t).getMessage());
            }
            if (t instanceof ConnectException) {
                return new Fault(Fault.Kind.REFUSED, "connection refused");
            }
            if (t instanceof SocketException || t instanceof java.io.EOFException) {
                return new Fault(Fault.Kind.BROKEN, "the connection broke before the answer ("
                        + (t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage()) + ")");
            }
            if (t instanceof java.io.IOException && t.getMessage() != null && t.getMessage().contains("closed")) {
                return new Fault(Fault.Kind.BROKEN, "the connection broke before the answer (" + t.getMessage() + ")");
            }
        }
        return new Fault(Fault.Kind.OTHER, root.getMessage() == null ? root.getClass().getSimpleName()
                : root.getClass().getSimpleName() + ": " + root.getMessage());
    }

    /** An HTTP answer that is itself a fault the same way for every storage system, or empty. */
    public static Optional<Fault> ofStatus(int status, String system, String user) {
        return ofStatus(status, system, user, null);
    }

    /** As above; {@code vendorText} (the system's own message, e.g. CSM's IWNR1507E text) replaces the advice. */
    public static Optional<Fault> ofStatus(int status, String system, String user, String vendorText) {
        boolean own = vendorText != null && !vendorText.isBlank();
        if (status == 401) {
            return Optional.of(new Fault(Fault.Kind.CREDENTIALS, system + " refused the credentials of user '" + user
                    + "' (HTTP 401): " + (own ? vendorText : "check the user name and password")));
        }
        if (status == 403) {
            return Optional.of(new Fault(Fault.Kind.CREDENTIALS, system + " refused user '" + user
                    + "' (HTTP 403): " + (own ? vendorText : "the user's role may not do this")));
        }
        if (status >= 500 || status == 429) {
            return Optional.of(new Fault(Fault.Kind.SERVER, system + " answered HTTP " + status));
        }
        return Optional.empty();
    }

    private static Fault untrusted(Optional<String> fingerprint) {
        return new Fault(Fault.Kind.TLS_UNTRUSTED, "the certificate is not trusted; "
                + fingerprint.map(f -> "pin fingerprint SHA-256 " + f + " or upload the CA").orElse("upload the CA or pin its fingerprint"));
    }

    private static boolean mentionsTrust(Throwable t) {
        String m = String.valueOf(deepest(t).getMessage()) + " " + t.getMessage();
        return m.contains("PKIX") || m.contains("certificate") || m.contains("trust");
    }

    private static Throwable deepest(Throwable t) {
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
