package safeguard.http;

import java.io.ByteArrayInputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509ExtendedTrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * TLS trust for one storage target, which also remembers the server certificate it was shown (so test
 * connection can offer its fingerprint for pinning, even when the handshake is refused).
 * <ul>
 *   <li>verify: JVM CAs, else QRadar's CA bundle and the uploaded PEM; hostname checked;</li>
 *   <li>pinned: exactly the leaf certificate with this SHA-256 fingerprint (hostname not needed: the pin is
 *       stronger);</li>
 *   <li>insecure: anything (the caller flags every use).</li>
 * </ul>
 */
public final class PeerTrust {
    private static final java.util.regex.Pattern HEX64 = java.util.regex.Pattern.compile("[0-9A-Fa-f]{64}");

    private final SSLContext context;
    private final boolean insecure;
    private final AtomicReference<String> seen = new AtomicReference<>();
    private final java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();

    private PeerTrust(Decider decide, boolean insecure) throws GeneralSecurityException {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[] {new Recording(decide, seen, handshakes)}, null);
        this.context = ctx;
        this.insecure = insecure;
    }

    /**
     * A SHA-256 fingerprint in the app's one format, colon-separated upper-case hex ("66:02:…"), from either that
     * or plain hex ("660281…", how pins were stored before); anything else comes back unchanged for the caller to
     * reject.
     */
    public static String normalise(String fingerprint) {
        if (fingerprint == null) {
            return null;
        }
        String hex = fingerprint.strip().replace(":", "");
        if (!HEX64.matcher(hex).matches()) {
            return fingerprint;
        }
        return HexFormat.ofDelimiter(":").withUpperCase().formatHex(HexFormat.of().parseHex(hex));
    }

    /** The server certificate is not the pinned one; carries what was seen, in the app's format. */
    public static final class PinMismatch extends CertificateException {
        private final String seen;

        PinMismatch(String seen) {
            super("server certificate " + seen + " does not match the pinned fingerprint");
            this.seen = seen;
        }

        public String seen() {
            return seen;
        }
    }

    public static PeerTrust verify(List<Path> bundles, String extraPem) {
        try {
            List<X509Certificate> extra = new ArrayList<>();
            for (Path p : bundles) {
                extra.addAll(TlsTrust.readPem(p));
            }
            if (extraPem != null) {
                for (var c : CertificateFactory.getInstance("X.509")
                        .generateCertificates(new ByteArrayInputStream(extraPem.getBytes(StandardCharsets.US_ASCII)))) {
                    extra.add((X509Certificate) c);
                }
            }
            X509ExtendedTrustManager system = (X509ExtendedTrustManager) TlsTrust.trustManager(null);
            X509ExtendedTrustManager more = extra.isEmpty() ? null
                    : (X509ExtendedTrustManager) TlsTrust.trustManager(TlsTrust.keyStoreOf(extra));
            return new PeerTrust(new Either(system, more), false);
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalStateException("cannot build TLS trust: " + e.getMessage(), e);
        }
    }

    /** Either format is accepted ({@link #normalise}): pins stored before the format was fixed keep working. */
    public static PeerTrust pinned(String sha256) {
        try {
            return new PeerTrust(new Pinned(normalise(sha256)), false);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public static PeerTrust insecure() {
        try {
            return new PeerTrust(new Pinned(null), true);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    public SSLContext context() {
        return context;
    }

    /** True when nothing is checked: every use is flagged. */
    public boolean isInsecure() {
        return insecure;
    }

    /** How many full TLS handshakes checked a server certificate (a reused connection or resumed session needs none). */
    public int handshakes() {
        return handshakes.get();
    }

    /** SHA-256 of the last server certificate presented, as colon-separated upper-case hex. */
    public Optional<String> serverFingerprint() {
        return Optional.ofNullable(seen.get());
    }

    public static String fingerprint(X509Certificate cert) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(d);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static final class Recording extends X509ExtendedTrustManager {
        private final Decider decide;
        private final AtomicReference<String> seen;
        private final java.util.concurrent.atomic.AtomicInteger handshakes;

        Recording(Decider decide, AtomicReference<String> seen, java.util.concurrent.atomic.AtomicInteger handshakes) {
            this.handshakes = handshakes;
            this.decide = decide;
            this.seen = seen;
        }

        private void note(X509Certificate[] chain) {
            handshakes.incrementAndGet();
            if (chain != null && chain.length > 0) {
                seen.set(fingerprint(chain[0]));
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            note(chain);
            decide.check(chain, authType, engine);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            note(chain);
            decide.check(chain, authType, null);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            note(chain);
            decide.check(chain, authType, null);
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return decide.getAcceptedIssuers();
        }
    }

    /** System CAs first (with hostname check), then the extra ones (with hostname check). */
    private record Either(X509ExtendedTrustManager system, X509ExtendedTrustManager extra) implements Decider {
        @Override
        public void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            try {
                system.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                if (extra == null) {
                    throw e;
                }
                extra.checkServerTrusted(chain, authType, engine);
            }
        }
    }

    /** Accepts exactly the pinned leaf certificate; with no pin, accepts anything (insecure mode). */
    private record Pinned(String sha256) implements Decider {
        @Override
        public void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
            if (sha256 == null) {
                return;
            }
            if (chain == null || chain.length == 0) {
                throw new CertificateException("no server certificate");
            }
            String seen = fingerprint(chain[0]);
            if (!MessageDigest.isEqual(seen.getBytes(StandardCharsets.US_ASCII), sha256.getBytes(StandardCharsets.US_ASCII))) {
                throw new PinMismatch(seen);
            }
        }
    }

    /** The server-side decision only; the rest of the trust-manager surface is fixed above. */
    private interface Decider extends X509TrustManager {
        void check(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException;

        @Override
        default void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("client certificates are not accepted");
        }

        @Override
        default void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            check(chain, authType, null);
        }

        @Override
        default X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
