package safeguard.qradar;

import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.store.Store;

/** The app as QRadar runs it, against the strict {@link FakeConsole} of a {@link ConsoleExtension}. */
public final class InsideQradar {
    private InsideQradar() {
    }

    /**
     * Starts the app; {@code service} is its authorised-service client (null: not authorised yet). Users' sessions
     * are checked with the same console.
     */
    public static Javalin start(ConsoleExtension console, Path store, Clock clock, QradarClient service,
                                Map<String, String> env) {
        Map<String, String> all = new HashMap<>(env);
        all.putIfAbsent("QRADAR_CONSOLE_FQDN", "console.qradar.test");
        return App.create(AppConfig.fromEnv(all), new Deps(Store.open(store), clock, service, ConsoleExtension.noWait(),
                console.client(null))).start("127.0.0.1", 0);
    }
}
