package safeguard.targets;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import safeguard.ProxySettings;
import safeguard.TestCerts;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/**
 * A storage system simulated by WireMock over HTTPS with a self-signed certificate for localhost (as storage
 * GUIs ship), a target store in a temp directory, and a connector whose retries and polls do not sleep.
 */
public final class StorageFixture implements AutoCloseable {
    public static final String PASSWORD = "S3cr3t-storage-pw!";

    public final WireMockServer wm;
    public final TargetService targets;
    public final Connector connector;
    public final TestCerts cert;
    public final Store store;
    public int pauses;

    public StorageFixture(Path tmp, TestCerts cert) {
        this(tmp, cert, 0);
    }

    public StorageFixture(Path tmp, TestCerts cert, int fixedDelayMs) {
        this.cert = cert;
        this.wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
        wm.start();
        this.store = Store.open(tmp.resolve("store"));
        this.targets = new TargetService(store);
        RetryPolicy retry = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), d -> pauses++);
        this.connector = new Connector(targets, Optional.empty(), ProxySettings.NONE, retry, d -> pauses++);
    }

    public int port() {
        return wm.httpsPort();
    }

    public Tls trusted() {
        return new Tls("verify", cert.pemText(), null);
    }

    public TargetInput scale(String name, Tls tls, Integer requestTimeout) {
        return new TargetInput("scale", name, "localhost", port(), "snapadmin", PASSWORD, tls, 2, requestTimeout,
                new ScaleSettings("gpfs01", "sales", List.of("sales", "hr"), "sgc", 168, 300, "UTC"), null, null, null);
    }

    public TargetInput csm(String name, CsmSettings settings) {
        return new TargetInput("csm", name, "localhost", port(), "csmadmin", PASSWORD, trusted(), 2, 2, null, settings, null, null);
    }

    public TargetInput cdm(String name) {
        return new TargetInput("cdm", name, "localhost", port(), "cdmadmin", PASSWORD, trusted(), 2, 2, null, null,
                new CdmSettings("SQL-CleanRoom-Restore", 5, 60, List.of()), null);
    }

    @Override
    public void close() {
        wm.stop();
    }
}
