package safeguard.http;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import safeguard.ConfigException;

/** Verified TLS: the JVM's trusted CAs plus extra PEM certificates (QRadar's REQUESTS_CA_BUNDLE, an upload). */
public final class TlsTrust {
    private TlsTrust() {
    }

    /**
     * The certificates are read at the first handshake, not here: QRadar's bundle holds ~150 CAs and parsing them
     * (and the JVM's own cacerts) cost about half a second of start-up, three times over (two console clients and
     * content provisioning), before the app could answer its health check (issue #21). A bundle that is not a
     * readable file still fails here, at start.
     */
    public static SSLContext systemPlus(List<Path> pemFiles) {
        for (Path pem : pemFiles) {
            if (!Files.isRegularFile(pem) || !Files.isReadable(pem)) {
                throw new ConfigException("cannot build the TLS trust store: " + pem + " is not a readable file");
            }
        }
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, new TrustManager[] {new EitherTrustManager(new Anchors(List.copyOf(pemFiles)))}, null);
            return ctx;
        } catch (GeneralSecurityException e) {
            throw new ConfigException("cannot build the TLS trust store: " + e.getMessage());
        }
    }

    /**
     * The JVM's trust manager and the bundle's, made once, on first use. A failure is not kept: the next handshake
     * reads the files again (a bundle being rewritten by update_ca_bundle.sh is readable a moment later).
     */
    private static final class Anchors {
        private final List<Path> pemFiles;
        private X509TrustManager system;
        private X509TrustManager bundle;

        Anchors(List<Path> pemFiles) {
            this.pemFiles = pemFiles;
        }

        synchronized void load() throws java.security.cert.CertificateException {
            if (system != null) {
                return;
            }
            try {
                List<X509Certificate> extra = new ArrayList<>();
                for (Path pem : pemFiles) {
                    extra.addAll(readPem(pem));
                }
                X509TrustManager fromBundle = extra.isEmpty() ? null : trustManager(keyStoreOf(extra));
                system = trustManager(null);
                bundle = fromBundle;
            } catch (GeneralSecurityException | IOException | RuntimeException e) {
                throw new java.security.cert.CertificateException("cannot build the TLS trust store: " + e.getMessage(), e);
            }
        }

        synchronized X509TrustManager system() throws java.security.cert.CertificateException {
            load();
            return system;
        }

        synchronized X509TrustManager bundle() throws java.security.cert.CertificateException {
            load();
            return bundle;
        }
    }

    public static List<X509Certificate> readPem(Path pem) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(pem)) {
            Collection<? extends Certificate> certs = CertificateFactory.getInstance("X.509").generateCertificates(in);
            List<X509Certificate> out = new ArrayList<>();
            for (Certificate c : certs) {
                out.add((X509Certificate) c);
            }
            return out;
        }
    }

    static KeyStore keyStoreOf(List<X509Certificate> certs) throws GeneralSecurityException, IOException {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        for (int i = 0; i < certs.size(); i++) {
            ks.setCertificateEntry("extra-" + i, certs.get(i));
        }
        return ks;
    }

    static X509TrustManager trustManager(KeyStore ks) throws GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        for (TrustManager tm : tmf.getTrustManagers()) {
            if (tm instanceof X509TrustManager x) {
                return x;
            }
        }
        throw new GeneralSecurityException("no X509 trust manager");
    }

    /** Accepts a chain either trust manager accepts; rejects it otherwise with the system manager's reason. */
    private record EitherTrustManager(Anchors anchors) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            anchors.system().checkClientTrusted(chain, authType);
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws java.security.cert.CertificateException {
            X509TrustManager extra = anchors.bundle();
            try {
                anchors.system().checkServerTrusted(chain, authType);
            } catch (java.security.cert.CertificateException e) {
                if (extra == null) {
                    throw e;
                }
                extra.checkServerTrusted(chain, authType);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            try {
                X509Certificate[] a = anchors.system().getAcceptedIssuers();
                X509TrustManager extra = anchors.bundle();
                if (extra == null) {
                    return a;
                }
                X509Certificate[] b = extra.getAcceptedIssuers();
                X509Certificate[] all = java.util.Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, all, a.length, b.length);
                return all;
            } catch (java.security.cert.CertificateException e) {
                return new X509Certificate[0];
            }
        }
    }
}
