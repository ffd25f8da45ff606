package safeguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ConfigException;
import safeguard.TestCerts;

/** The console's trust (REQUESTS_CA_BUNDLE plus the JVM's CAs), read at the first handshake rather than at start. */
class TlsTrustTest {
    static final TestCerts cert = TestCerts.localhost();
    @TempDir
    Path tmp;
    HttpsServer server;

    @BeforeEach
    void serve() throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(cert.keystore())) {
            ks.load(in, cert.password().toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, cert.password().toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.setHttpsConfigurator(new HttpsConfigurator(ctx));
        server.createContext("/", ex -> {
            ex.sendResponseHeaders(200, 2);
            ex.getResponseBody().write("ok".getBytes());
            ex.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private HttpResponse<String> get(SSLContext trust) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().sslContext(trust).build();
        return client.send(HttpRequest.newBuilder(URI.create("https://localhost:" + server.getAddress().getPort() + "/"))
                .build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aServerSignedByACertificateOfTheBundleIsTrusted() throws Exception {
        assertEquals("ok", get(TlsTrust.systemPlus(List.of(cert.pem()))).body());
    }

    @Test
    void withoutTheBundleTheSameServerIsRefused() {
        assertThrows(IOException.class, () -> get(TlsTrust.systemPlus(List.of())));
    }

    @Test
    void aBundleThatIsNotAReadableFileFailsAtStart() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> TlsTrust.systemPlus(List.of(tmp.resolve("no-such-bundle.crt"))));
        assertTrue(e.getMessage().contains("no-such-bundle.crt"), e.getMessage());
    }

    @Test
    void theBundleIsParsedAtTheFirstHandshakeNotAtStartABrokenOneRefusesThatConnectionAndIsReadAgainAtTheNext()
            throws Exception {
        Path broken = tmp.resolve("ca-bundle.crt");
        Files.writeString(broken, "-----BEGIN CERTIFICATE-----\nbm90IGEgY2VydGlmaWNhdGU=\n-----END CERTIFICATE-----\n");
        SSLContext trust = TlsTrust.systemPlus(List.of(broken)); // start-up: not read yet, so no failure here

        IOException refused = assertThrows(IOException.class, () -> get(trust));
        StringBuilder causes = new StringBuilder();
        for (Throwable t = refused; t != null; t = t.getCause()) {
            causes.append(t).append(" / ");
        }
        assertTrue(causes.toString().contains("cannot build the TLS trust store"), causes.toString());

        Files.writeString(broken, cert.pemText()); // the bundle rewritten (update_ca_bundle.sh): no restart needed
        assertEquals("ok", get(trust).body());
    }
}
