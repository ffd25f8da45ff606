package safeguard;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import safeguard.actions.ActionService;
import safeguard.actions.ActionToken;
import safeguard.content.ContentService;
import safeguard.journal.Journal;
import safeguard.health.HealthService;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;
import safeguard.web.ActionController;
import safeguard.web.ContentController;
import safeguard.web.ErrorMapping;
import safeguard.web.HealthController;
import safeguard.web.TargetController;

/** The composition root: wires services to routes and returns an unstarted server. */
public final class App {
    /** Jetty's graceful stop; well inside the 10 s QRadar waits after SIGTERM before it kills the container. */
    static final long STOP_TIMEOUT_MS = 5_000;
    static final long JOURNAL_FILE_BYTES = 16L * 1024 * 1024;
    static final int QUEUE_PER_TARGET = 32;
    static final int MAX_THREADS = 32;
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static Javalin create(AppConfig config, Deps deps) {
        var health = new HealthController(new HealthService(config, deps.store(), deps.clock()));
        var targetService = new TargetService(deps.store());
        var contentService = ContentService.of(deps.store(), deps.qradar(), config.insideQradar(), deps.clock(),
                config.appProxyUrl().orElse(null), targetService::all);
        var content = new ContentController(contentService);
        var connector = new Connector(targetService, config.caBundle(), config.httpsProxy(), deps.retry(),
                deps.retry().sleeper());
        var targets = new TargetController(targetService, connector, contentService::reconcileSoon);
        var journal = new Journal(deps.store().dir().resolve("journal"), JOURNAL_FILE_BYTES, deps.clock());
        var actionService = new ActionService(journal, targetService, connector, deps.qradar(), deps.clock(), QUEUE_PER_TARGET);
        actionService.load();
        var token = new ActionToken(deps.store(), deps.clock());
        if (token.initialUnrevealed()) {
            LOG.info("an action token was created: reveal it once (POST api/action-token/reveal) or rotate it (POST api/action-token/rotate)");
        }
        var actions = new ActionController(actionService, token, contentService::pushActionToken);

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            cfg.staticFiles.add("/public", Location.CLASSPATH);
            // Carbon's stylesheet (~900 KB) is served compressed and cached for a day: it only changes on upgrade.
            cfg.staticFiles.add(sf -> {
                sf.hostedPath = "/vendor";
                sf.directory = "/vendor";
                sf.location = Location.CLASSPATH;
                sf.precompressMaxSize = 4 * 1024 * 1024;
                sf.headers = java.util.Map.of("Cache-Control", "public, max-age=86400");
            });
            cfg.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT_MS));
            // Two cores and a 200 MB quota: a few dozen threads serve a burst better than Jetty's default 200.
            cfg.jetty.threadPool = new QueuedThreadPool(MAX_THREADS, 4, 60_000);
            cfg.events.serverStarted(contentService::start);
            cfg.events.serverStarted(actionService::resume);
            cfg.events.serverStopping(contentService::stop);
            cfg.events.serverStopped(() -> {
                actionService.close();
                journal.close();
            });

            cfg.routes.get("/debug", health::debug);
            cfg.routes.get("/api/health", health::health);
            cfg.routes.get("/api/content/status", content::status);
            cfg.routes.post("/api/content/uninstall", content::uninstall);

            cfg.routes.get("/api/targets", targets::list);
            cfg.routes.post("/api/targets", targets::create);
            cfg.routes.get("/api/targets/{name}", targets::get);
            cfg.routes.put("/api/targets/{name}", targets::update);
            cfg.routes.delete("/api/targets/{name}", targets::delete);
            cfg.routes.post("/api/targets/{name}/test", targets::test);
            cfg.routes.get("/api/targets/{name}/snapshots", targets::snapshots);

            cfg.routes.post("/api/actions", actions::submit);
            cfg.routes.get("/api/actions", actions::list);
            cfg.routes.get("/api/actions/{id}", actions::get);
            cfg.routes.get("/api/journal/verify", actions::verifyJournal);
            cfg.routes.get("/api/action-token", actions::tokenStatus);
            cfg.routes.post("/api/action-token/reveal", actions::revealToken);
            cfg.routes.post("/api/action-token/rotate", actions::rotateToken);

            ErrorMapping.register(cfg.routes);
        });
    }
}
