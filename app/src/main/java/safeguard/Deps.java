package safeguard;

import java.time.Clock;
import safeguard.http.RetryPolicy;
import safeguard.qradar.QradarClient;
import safeguard.store.Store;

/**
 * What the app is built from besides its config; tests pass their own (a fixed clock, a temp store, a QRadar
 * client pointed at WireMock).
 *
 * @param qradar the console's API as the app's authorised service; null outside QRadar or before authorisation
 */
public record Deps(Store store, Clock clock, QradarClient qradar) {

    public Deps(Store store, Clock clock) {
        this(store, clock, null);
    }

    public static Deps production(AppConfig config) {
        return new Deps(Store.open(config.storeDir()), Clock.systemUTC(),
                QradarClient.forConsole(config, RetryPolicy.standard()));
    }
}
