package safeguard;

import io.javalin.Javalin;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.Logger;
import java.time.Clock;
import safeguard.access.LocalAdmin;
import safeguard.dsm.ParseCli;
import safeguard.store.Store;

/**
 * Reads the config and starts; every decision lives in {@link App}.
 *
 * <pre>
 *   java -jar app.jar          serve (port 5000, or $SAFEGUARD_PORT)
 *   java -jar app.jar parse [--dsm FILE] [FILE|-]
 *                              print how the DSM parses each line of a Storage Scale audit log (JSON lines)
 *   java -jar app.jar admin-token [--new-store]
 *                              outside QRadar: make a new admin token for the app's store (found as the app finds
 *                              it) and print it; the old one stops. Refuses to create a store unless --new-store.
 *   java -jar app.jar train    start, answer a few requests, stop: run once at image build time so the JVM's
 *                              class-data archive exists before the first real start
 * </pre>
 */
public final class Main {
    private Main() {
    }

    public static void main(String[] args) {
        String command = args.length == 0 ? "serve" : args[0];
        switch (command) {
            case "serve" -> serve(System.getenv());
            case "train" -> train(System.getenv());
            case "admin-token" -> adminToken(System.getenv(), List.of(args).subList(1, args.length));
            case "parse" -> System.exit(ParseCli.runOnStdio(List.of(args).subList(1, args.length)));
            default -> fail(64, "unknown command '" + command + "' (expected: serve, parse, train, admin-token)");
        }
    }

    private static void serve(Map<String, String> env) {
        Started started = start(env);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            started.log.info("stopping (signal received)");
            started.app.stop();
            started.log.info("stopped");
            LogManager.shutdown();
        }, "shutdown"));
    }

    private static void adminToken(Map<String, String> env, List<String> options) {
        boolean newStore = options.contains("--new-store");
        if (!options.stream().allMatch("--new-store"::equals)) {
            fail(64, "admin-token takes only --new-store, got " + options);
        }
        try {
            AppConfig config = AppConfig.fromEnv(env);
            if (config.insideQradar()) {
                fail(2, "inside QRadar the console signs people in; there is no admin token");
            }
            Path store = config.storeDir();
            if (!newStore && !FirstStart.storeExists(store)) {
                // A token written to a store the running app does not read is worse than none: it is refused
                // with no hint why. So only an existing store, or a new one on request.
                fail(2, "no app store at " + store + " (from " + config.storeFrom() + "): the app keeps its store in"
                        + " SAFEGUARD_STORE, else $APP_ROOT/store, else ./store of the directory it was started from."
                        + " Run this with the same variables or from that directory (bin/safeguard does both),"
                        + " or add --new-store to start a new store here.");
            }
            String token = new LocalAdmin(Store.open(store), Clock.systemUTC()).rotate();
            System.err.println("safeguard-responder: new admin token for the store " + store + " (from "
                    + config.storeFrom() + "); the old token and its sign-ins stop working. Sign in with it, or open "
                    + FirstStart.signInLink(config, config.port() == 0 ? AppConfig.DEFAULT_PORT : config.port(), "<token>"));
            // The token alone on stdout, so a script can take it: token=$(bin/safeguard admin-token)
            System.out.println(token);
            System.exit(0);
        } catch (ConfigException e) {
            fail(2, "invalid configuration: " + e.getMessage());
        }
    }

    private static void train(Map<String, String> env) {
        Path store;
        try {
            store = Files.createTempDirectory("safeguard-train-");
        } catch (IOException e) {
            fail(1, "cannot create a scratch store: " + e.getMessage());
            return;
        }
        Map<String, String> scratch = new HashMap<>(env);
        scratch.put("SAFEGUARD_STORE", store.toString());
        scratch.put("SAFEGUARD_PORT", "0");
        scratch.put("SAFEGUARD_BIND", "127.0.0.1");
        String admin = new LocalAdmin(Store.open(store), Clock.systemUTC()).rotate();
        Started started = start(scratch);
        int exit = Training.exercise(started.app.port(), admin) ? 0 : 1;
        started.app.stop();
        LogManager.shutdown();
        Training.delete(store);
        System.exit(exit);
    }

    private record Started(Javalin app, Logger log) {
    }

    private static Started start(Map<String, String> env) {
        AppConfig config;
        Deps deps;
        try {
            config = AppConfig.fromEnv(env);
            if (config.httpsProxy().credentials().isPresent()) {
                // The JDK refuses Basic proxy authentication for HTTPS tunnels unless told otherwise, and
                // QRadar on Cloud's proxy may require it. Must be set before the first HTTP client exists.
                System.setProperty("jdk.http.auth.tunneling.disabledSchemes", "");
            }
            deps = Deps.production(config);
        } catch (ConfigException e) {
            fail(2, "invalid configuration: " + e.getMessage());
            throw e;
        }
        // Must be set before the first logger exists: log4j2.xml writes the rolling file under it.
        System.setProperty("safeguard.logDir", deps.store().logDir().toString());
        Logger log = LogManager.getLogger(Main.class);

        Javalin app = App.create(config, deps);
        try {
            app.start(config.bindAddress(), config.port());
        } catch (RuntimeException e) {
            fail(1, "cannot listen on " + config.bindAddress() + ":" + config.port() + ": " + rootMessage(e));
            throw e;
        }
        log.info("Safeguard Responder {} listening on {}:{} with {}", Version.current(),
                config.bindAddress(), app.port(), config);
        return new Started(app, log);
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
