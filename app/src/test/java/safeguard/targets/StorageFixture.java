package safeguard.targets;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import safeguard.ProxySettings;
import safeguard.StorageSimulator;
import safeguard.TestCerts;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/**
 * A target store in a temp directory and a connector whose retries and polls do not sleep (they are recorded),
 * in front of a storage simulator, or of a bare WireMock over HTTPS with a self-signed certificate for localhost
 * (as storage GUIs ship) for tests that only need a few answers.
 */
public final class StorageFixture implements AutoCloseable {
    public static final String PASSWORD = "S3cr3t-storage-pw!";

    public final WireMockServer wm;
    public final TargetService targets;
    public final Connector connector;
    public final TestCerts cert;
    public final Store store;
    private final int port;
    /** Pauses between retries, in order. */
    public final List<Duration> retryPauses = new CopyOnWriteArrayList<>();
    /** Pauses between status checks, in order. */
    public final List<Duration> pollPauses = new CopyOnWriteArrayList<>();

    public StorageFixture(Path tmp, TestCerts cert) {
        this.cert = cert;
        this.wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
        wm.start();
        this.port = wm.httpsPort();
        this.store = Store.open(tmp.resolve("store"));
        this.targets = new TargetService(store);
        this.connector = connector(3);
    }

    public StorageFixture(Path tmp, TestCerts cert, StorageSimulator sim) {
        this.cert = cert;
        this.wm = null;
        this.port = sim.port();
        this.store = Store.open(tmp.resolve("store"));
        this.targets = new TargetService(store);
        this.connector = connector(3);
    }

    private Connector connector(int attempts) {
        RetryPolicy retry = new RetryPolicy(attempts, Duration.ofMillis(1), Duration.ofMillis(1), retryPauses::add);
        return new Connector(targets, Optional.empty(), ProxySettings.NONE, retry, pollPauses::add);
    }

    public int port() {
        return port;
    }

    public Tls trusted() {
        return new Tls("verify", cert.pemText(), null);
    }

    public TargetInput scale(String name, Tls tls, Integer requestTimeout) {
        return new TargetInput("scale", name, "localhost", port(), "snapadmin", PASSWORD, tls, 2, requestTimeout,
                new ScaleSettings("gpfs01", "sales", List.of("sales", "hr"), "sgc", 168, 300, "UTC"), null, null, null, null);
    }

    public TargetInput csm(String name, CsmSettings settings) {
        return new TargetInput("csm", name, "localhost", port(), "csmadmin", PASSWORD, trusted(), 2, 2, null, settings, null, null, null);
    }

    public TargetInput cdm(String name) {
        return new TargetInput("cdm", name, "localhost", port(), "cdmadmin", PASSWORD, trusted(), 2, 2, null, null,
                new CdmSettings("SQL-CleanRoom-Restore", 5, List.of()), null, null);
    }

    /** The same target, waiting at most {@code seconds} to confirm a copy. */
    public static TargetInput confirming(TargetInput t, int seconds) {
        return new TargetInput(t.kind(), t.name(), t.host(), t.port(), t.username(), t.password(), t.tls(),
                t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), t.scale(), t.csm(), t.cdm(), t.dryRun(), seconds);
    }

    @Override
    public void close() {
        if (wm != null) {
            wm.stop();
        }
    }
}
