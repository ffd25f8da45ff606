package safeguard;

import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import safeguard.store.Store;

/** The app outside QRadar on a free port, and a client signed in as its local admin. */
public record LocalApp(Javalin app, TestHttp http) implements AutoCloseable {

    public static LocalApp start(Path store) {
        Javalin app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(store), Clock.systemUTC()))
                .start("127.0.0.1", 0);
        return new LocalApp(app, TestHttp.admin(app.port(), store));
    }

    @Override
    public void close() {
        app.stop();
    }
}
