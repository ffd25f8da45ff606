package safeguard;

import java.time.Clock;
import safeguard.http.RetryPolicy;
import safeguard.qradar.QradarClient;
import safeguard.store.Store;

/**
 * What the app is built from besides its config; tests pass their own (a fixed clock, a temp store, a QRadar
 * client pointed at WireMock, retries that do not sleep).
 *
 * @param qradar the console's API as the app's authorised service; null outside QRadar or before authorisation
 * @param retry  bounded retries for upstream calls; its sleeper also paces job polling
 * @param users  the console's API without a token, to check the SEC of whoever uses the tab; null outside QRadar
 */
public record Deps(Store store, Clock clock, QradarClient qradar, RetryPolicy retry, QradarClient users) {

    public Deps(Store store, Clock clock) {
        this(store, clock, null, RetryPolicy.standard());
    }

    public Deps(Store store, Clock clock, QradarClient qradar, RetryPolicy retry) {
        this(store, clock, qradar, retry, null);
    }

    public static Deps production(AppConfig config) {
        RetryPolicy retry = RetryPolicy.standard();
        return new Deps(Store.open(config.storeDir()), Clock.systemUTC(), QradarClient.forConsole(config, retry), retry,
                QradarClient.forUsers(config));
    }
}
