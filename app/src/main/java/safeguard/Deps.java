package safeguard;

import java.time.Clock;
import safeguard.store.Store;

/** What the app is built from besides its config; tests pass their own (a fixed clock, a temp store, fakes). */
public record Deps(Store store, Clock clock) {

    public static Deps production(AppConfig config) {
        return new Deps(Store.open(config.storeDir()), Clock.systemUTC());
    }
}
