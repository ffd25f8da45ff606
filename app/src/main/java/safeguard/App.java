package safeguard;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import safeguard.content.ContentService;
import safeguard.health.HealthService;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;
import safeguard.web.ContentController;
import safeguard.web.ErrorMapping;
import safeguard.web.HealthController;
import safeguard.web.TargetController;

/** The composition root: wires services to routes and returns an unstarted server. */
public final class App {
    /** Jetty's graceful stop; well inside the 10 s QRadar waits after SIGTERM before it kills the container. */
    static final long STOP_TIMEOUT_MS = 5_000;

    private App() {
    }

    public static Javalin create(AppConfig config, Deps deps) {
        var health = new HealthController(new HealthService(config, deps.store(), deps.clock()));
        var contentService = ContentService.of(deps.store(), deps.qradar(), config.insideQradar(), deps.clock());
        var content = new ContentController(contentService);
        var targetService = new TargetService(deps.store());
        var connector = new Connector(targetService, config.caBundle(), config.httpsProxy(), deps.retry(),
                deps.retry().sleeper());
        var targets = new TargetController(targetService, connector);

        return Javalin.create(cfg -> {
            cfg.startup.showJavalinBanner = false;
            cfg.startup.showOldJavalinVersionWarning = false;
            cfg.jsonMapper(new JavalinJackson(Json.mapper(), false));
            cfg.staticFiles.add("/public", Location.CLASSPATH);
            cfg.jetty.modifyServer(server -> server.setStopTimeout(STOP_TIMEOUT_MS));
            cfg.events.serverStarted(contentService::start);
            cfg.events.serverStopping(contentService::stop);

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

            ErrorMapping.register(cfg.routes);
        });
    }
}
