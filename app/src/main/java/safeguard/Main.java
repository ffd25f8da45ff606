package safeguard;

import io.javalin.Javalin;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;

/** Reads the config and starts; every decision lives in {@link App}. */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        AppConfig config;
        Deps deps;
        try {
            config = AppConfig.fromEnv(System.getenv());
            deps = Deps.production(config);
        } catch (ConfigException e) {
            fail(2, "invalid configuration: " + e.getMessage());
            return;
        }
        // Must be set before the first logger exists: log4j2.xml writes the rolling file under it.
        System.setProperty("safeguard.logDir", deps.store().logDir().toString());
        Logger log = LogManager.getLogger(Main.class);

        Javalin app = App.create(config, deps);
        try {
            app.start(config.bindAddress(), config.port());
        } catch (RuntimeException e) {
            fail(1, "cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + rootMessage(e));
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("stopping (signal received)");
            app.stop();
            log.info("stopped");
            LogManager.shutdown();
        }, "shutdown"));
        log.info("Safeguard Responder {} listening on {}:{} with {}", Version.current(),
                config.bindAddress(), app.port(), config);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    private static void fail(int status, String line) {
        System.err.println("safeguard-responder: " + line);
        System.exit(status);
    }
}
