package safeguard.qradar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/** The app as QRadar runs it, against a {@link FakeQradar} console served by WireMock. */
public final class InsideQradar {
    private InsideQradar() {
    }

    /** A console answering every /api path through {@code fake}. */
    public static WireMockExtension console(FakeQradar fake) {
        return WireMockExtension.newInstance().options(wireMockConfig().dynamicPort().extensions(fake)).build();
    }

    /**
     * Starts the app; {@code service} is its authorised-service client (null: not authorised yet). Users' sessions
     * are checked with the same console.
     */
    public static Javalin start(WireMockExtension wm, Path store, Clock clock, QradarClient service, Map<String, String> env) {
        wm.stubFor(any(urlPathMatching("/api/.*")).willReturn(aResponse().withTransformers(FakeQradar.NAME)));
        Map<String, String> all = new HashMap<>(env);
        all.put("QRADAR_CONSOLE_FQDN", "console.qradar.test");
        QradarClient users = new QradarClient(wm.baseUrl() + "/api", null, null, ProxySettings.NONE, retry());
        return App.create(AppConfig.fromEnv(all), new Deps(Store.open(store), clock, service, retry(), users))
                .start("127.0.0.1", 0);
    }

    /** The app's authorised-service client for this console. */
    public static QradarClient service(String baseUrl) {
        return new QradarClient(baseUrl + "/api", FakeQradar.TOKEN, null, ProxySettings.NONE, retry());
    }

    public static RetryPolicy retry() {
        return new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { });
    }
}
