package safeguard.qradar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;

/**
 * Owns one {@link FakeConsole} per test, served over HTTPS with the shared localhost test certificate, and fails the
 * test when any request of it broke the documented contract. Register with
 * {@code @RegisterExtension final ConsoleExtension console = new ConsoleExtension();}.
 */
public final class ConsoleExtension implements BeforeEachCallback, AfterEachCallback {
    private FakeConsole fake;
    private WireMockServer wm;

    /** A console started outside JUnit (benchmarks); {@link #stop} ends it. */
    public static ConsoleExtension started() {
        ConsoleExtension c = new ConsoleExtension();
        c.beforeEach(null);
        return c;
    }

    public void stop() {
        wm.stop();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        TestCerts cert = TestCerts.localhost();
        fake = new FakeConsole();
        wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                .keyManagerPassword(cert.password()).keystoreType("PKCS12").extensions(fake));
        wm.start();
        wm.stubFor(any(anyUrl()).atPriority(10).willReturn(aResponse().withTransformers(FakeConsole.NAME)));
    }

    @Override
    public void afterEach(ExtensionContext context) {
        wm.stop();
        List<FakeConsole.Violation> v = fake.violations();
        if (!v.isEmpty() && context.getExecutionException().isEmpty()) {
            throw new AssertionError("requests broke QRadar's documented API contract:\n  "
                    + v.stream().map(Object::toString).collect(Collectors.joining("\n  ")));
        }
    }

    public FakeConsole fake() {
        return fake;
    }

    /** For fault stubs layered over the console (priority below 10 wins). */
    public WireMockServer wireMock() {
        return wm;
    }

    /** The console's address as the app is given it ({@code https://localhost:port}). */
    public String baseUrl() {
        return "https://localhost:" + wm.httpsPort();
    }

    public static SSLContext trust() {
        return TlsTrust.systemPlus(List.of(TestCerts.localhost().pem()));
    }

    /** The app's authorised-service client. */
    public QradarClient service() {
        return client(FakeConsole.TOKEN);
    }

    /** A client with {@code token} as its SEC (null: none, as for users' sessions). */
    public QradarClient client(String token) {
        return new QradarClient(baseUrl() + "/api", token, trust(), ProxySettings.NONE, noWait());
    }

    public static RetryPolicy noWait() {
        return new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
    }
}
