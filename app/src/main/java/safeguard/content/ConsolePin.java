package safeguard.content;

import java.net.InetSocketAddress;
import java.net.URI;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import safeguard.http.PeerTrust;

/**
 * The SHA-256 fingerprint of the certificate the console presents at the app's proxy address, read over a
 * verified TLS handshake (the app's own trust: JVM CAs plus QRadar's bundle). The custom-action script pins it,
 * because QRadar lets an admin set no CA file or environment for a script.
 */
final class ConsolePin {
    private ConsolePin() {
    }

    /** Upper-case hex with colons, as PeerTrust shows fingerprints everywhere; throws when the handshake fails. */
    static String of(String url, SSLContext ssl) throws java.io.IOException {
        URI u = URI.create(url);
        int port = u.getPort() > 0 ? u.getPort() : 443;
        try (SSLSocket s = (SSLSocket) ssl.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(u.getHost(), port), 5_000);
            s.setSoTimeout(5_000);
            SSLParameters p = s.getSSLParameters();
            p.setEndpointIdentificationAlgorithm("HTTPS");
            s.setSSLParameters(p);
            s.startHandshake();
            return PeerTrust.fingerprint((X509Certificate) s.getSession().getPeerCertificates()[0]);
        }
    }
}
