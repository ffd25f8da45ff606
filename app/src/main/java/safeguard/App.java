package safeguard;

import static safeguard.access.Access.ACTION_TOKEN;
import static safeguard.access.Access.ADMIN;
import static safeguard.access.Access.PUBLIC;
import static safeguard.access.Access.VIEWER;

import io.javalin.Javalin;
import io.javalin.http.staticfiles.Location;
import io.javalin.json.JavalinJackson;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import safeguard.access.LocalAdmin;
import safeguard.access.QradarSessions;
import safeguard.access.Refusals;
import safeguard.actions.ActionService;
import safeguard.actions.ActionToken;
import safeguard.content.ContentService;
import safeguard.dsm.ReferenceSets;
import safeguard.health.HealthService;
import safeguard.journal.Journal;
import safeguard.offenses.Offenses;
import safeguard.overview.Overview;
import safeguard.refsets.ReferenceSetService;
import safeguard.settings.SettingsService;
import safeguard.targets.Connector;
import safeguard.targets.TargetService;
import safeguard.web.Bodies;
import safeguard.web.AccessFilter;
import safeguard.web.ActionController;
import safeguard.web.ClientAddress;
import safeguard.web.ContentController;
import safeguard.web.ErrorMapping;
import safeguard.web.HealthController;
import safeguard.web.OffenseController;
import safeguard.web.OverviewController;
import safeguard.web.ReferenceSetController;
import safeguard.web.SecurityHeaders;
import safeguard.web.ServerLimits;
import safeguard.web.SessionController;
import safeguard.web.SettingsController;
import safeguard.web.TargetController;

/** The composition root: wires services to routes and returns an unstarted server. */
public final class App {
    /**
     * Jetty's graceful stop. One shutdown budget inside the 10 s QRadar waits after SIGTERM before it kills the
     * container: Jetty 3 s (a running QRadar content reconcile ends meanwhile: ContentService.STOP_WAIT counts
     * from the same start), then every target queue together 1.5 s (ActionService.STOP_WAIT), then the journal's
     * last fsync.
     */
    static final long STOP_TIMEOUT_MS = 3_000;
    static final long JOURNAL_FILE_BYTES = 16L * 1024 * 1024;
    static final int QUEUE_PER_TARGET = 32;
    static final int MAX_THREADS = 32;
    static final long REFUSAL_FLUSH_SECONDS = 15;
    /** How long a connection test may hold its request before it is answered 202 and followed (issue 21). */
    static final java.time.Duration TEST_WAIT = java.time.Duration.ofSeconds(3);
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(App.class);

    private App() {
    }

    public static Javalin create(AppConfig config, Deps deps) {
        // Before anything opens a store file: owner-only throughout, fixed (and reported in health) where not.
        var permissions = safeguard.store.Permissions.check(deps.store().dir());
        var journal = new Journal(deps.store().dir().resolve("journal"), JOURNAL_FILE_BYTES, deps.clock());
        var journalAdmin = new safeguard.web.JournalController(journal);
        var targetService = new TargetService(deps.store());
        var offenseService = new Offenses(deps.qradar(), deps.store(), targetService, deps.clock());
        var healthService = new HealthService(config, deps.store(), deps.clock(), journal::status, permissions,
                offenseService::standing);
        var health = new HealthController(healthService);
        var settingsService = new SettingsService(deps.store(), offenseService::check);
        // QRadar on Cloud: only admins may create custom actions and its customers are not admins, so the app
        // does not try; rules reach it through offenses (safeguard.offenses).
        var contentService = ContentService.of(deps.store(), deps.qradar(), config.insideQradar(), deps.clock(),
                config.qradarOnCloud() ? null : config.appProxyUrl().orElse(null), targetService::all, settingsService::get,
                safeguard.http.TlsTrust.systemPlus(config.caBundle().map(java.util.List::of).orElse(java.util.List.of())));
        var content = new ContentController(contentService);
        var connector = new Connector(targetService, config.caBundle(), config.httpsProxy(), deps.retry(),
                deps.retry().sleeper());
        var drills = new safeguard.readiness.Drills(deps.store(), targetService, connector, journal, deps.clock());
        var readinessService = safeguard.readiness.ReadinessService.of(targetService, connector, contentService,
                deps.qradar(), settingsService::get, config.insideQradar(), drills, journal, deps.clock(),
                offenseService::triggerProblems);
        healthService.readiness(readinessService::summary);
        var readiness = new safeguard.web.ReadinessController(readinessService, drills);
        var connectionTests = new safeguard.targets.ConnectionTests(targetService, connector, deps.clock(), TEST_WAIT);
        var targets = new TargetController(targetService, connector, connectionTests, () -> {
            contentService.reconcileSoon();
            readinessService.runSoon();
        });
        var settings = new SettingsController(settingsService, () -> {
            contentService.reconcileSoon();
            offenseService.settingsChanged();
            readinessService.runSoon();
        });
        var actionService = new ActionService(journal, targetService, connector, deps.qradar(), deps.clock(),
                QUEUE_PER_TARGET, settingsService::get);
        offenseService.attach(settingsService::get, actionService::submit, id -> {
            try {
                return actionService.detail(id).action();
            } catch (NotFoundException e) {
                return null;
            }
        }, (id, data) -> actionService.note(id, "offense-note", data), id -> actionService.incident(id).members());
        actionService.onEnd(offenseService::ended);
        targetService.onChange((name, deleted) -> {
            connector.forget(name);
            connectionTests.forget(name);
            if (deleted) {
                actionService.targetDeleted(name);
            }
        });
        actionService.load();
        var offenses = new OffenseController(offenseService);
        var token = new ActionToken(deps.store(), deps.clock());
        if (token.initialUnrevealed()) {
            LOG.info("an action token was created: reveal it once (POST api/action-token/reveal) or rotate it (POST api/action-token/rotate)");
        }
        // Refused credentials reach the journal as per-client summaries, at most one a minute (AccessFilter et al.).
        var refusals = new Refusals(deps.clock(), summary -> journal.append(null, "unauthorized", summary));
        var refusalFlush = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "refusals");
            t.setDaemon(true);
            return t;
        });
        refusalFlush.scheduleWithFixedDelay(refusals::flushDue, REFUSAL_FLUSH_SECONDS, REFUSAL_FLUSH_SECONDS,
                TimeUnit.SECONDS);
        var clients = new ClientAddress(config.trustedProxies());
        var actions = new ActionController(actionService, token, contentService::pushActionToken, refusals, clients);
        var recoveryService = new safeguard.recover.RecoveryService(actionService, targetService, connector,
                settingsService::get);
        var recoveries = new safeguard.web.RecoveryController(recoveryService);
        var overview = new OverviewController(new Overview(actionService, targetService, deps.clock()));
        var referenceSets = new ReferenceSetController(ReferenceSetService.of(ReferenceSets.bundled(),
                config.insideQradar(), deps.qradar(), deps.store(), deps.clock()));
        LocalAdmin localAdmin = config.insideQradar() ? null : new LocalAdmin(deps.store(), deps.clock());
        Optional<String> firstToken = localAdmin == null ? Optional.empty() : localAdmin.firstStart();
        var started = new AtomicReference<Javalin>();
        var access = new AccessFilter(localAdmin != null ? localAdmin
                : new QradarSessions(deps.users(), deps.qradar(), config.adminToken().orElse(null),
                        config.qradarOnCloud(), deps.clock()), refusals, clients);
        var session = new SessionController(localAdmin, refusals, clients, config.secureCookies());
        var securityHeaders = new SecurityHeaders(config.consoleFqdn());

        Javalin app = Javalin.create(cfg -> {
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
            ServerLimits.apply(cfg.jetty, MAX_THREADS, clients, securityHeaders);
            cfg.events.serverStarted(contentService::start);
            cfg.events.serverStarted(actionService::resume);
            cfg.events.serverStarted(actionService::verifyInBackground);
            cfg.events.serverStarted(readinessService::start);
            cfg.events.serverStarted(offenseService::start);
            // After start, so the link names the port actually bound (0 picks a free one).
            firstToken.ifPresent(t -> cfg.events.serverStarted(() -> FirstStart.announce(config, deps.store().dir(), started.get().port(), t)));
            // Content provisioning finishes the item it is writing while Jetty stops, within the same 3 s.
            cfg.events.serverStopping(contentService::stopping);
            cfg.events.serverStopping(readinessService::stop);
            cfg.events.serverStopped(() -> {
                contentService.awaitStopped();
                refusalFlush.shutdownNow();
                connectionTests.close();
                recoveryService.close();
                refusals.flushAll();
                offenseService.close();
                actionService.close();
                connector.close();
                journal.close();
            });

            cfg.routes.beforeMatched(access::check);
            cfg.routes.beforeMatched(Bodies::readFirst);
            cfg.routes.get("/debug", health::debug, PUBLIC);
            cfg.routes.get("/api/health", health::health, PUBLIC);

            cfg.routes.get("/api/session", session::whoAmI, VIEWER);
            cfg.routes.post("/api/session", session::signIn, PUBLIC);
            cfg.routes.delete("/api/session", session::signOut, PUBLIC);

            cfg.routes.get("/api/content/status", content::status, VIEWER);
            cfg.routes.post("/api/content/uninstall", content::uninstall, ADMIN);
            cfg.routes.get("/api/content/action-caller", content::actionCaller, VIEWER);
            cfg.routes.post("/api/content/action-caller/rotate", content::rotateActionCaller, ADMIN);

            cfg.routes.get("/api/targets", targets::list, VIEWER);
            cfg.routes.post("/api/targets", targets::create, ADMIN);
            cfg.routes.get("/api/targets/{name}", targets::get, VIEWER);
            cfg.routes.put("/api/targets/{name}", targets::update, ADMIN);
            cfg.routes.delete("/api/targets/{name}", targets::delete, ADMIN);
            cfg.routes.post("/api/targets/{name}/test", targets::test, VIEWER);
            cfg.routes.get("/api/targets/{name}/test", targets::lastTest, VIEWER);
            cfg.routes.get("/api/targets/{name}/snapshots", targets::snapshots, VIEWER);

            cfg.routes.post("/api/actions", actions::submit, ACTION_TOKEN);
            cfg.routes.get("/api/actions", actions::list, VIEWER);
            cfg.routes.get("/api/actions/{id}", actions::get, VIEWER);
            cfg.routes.get("/api/actions/{id}/outcome", actions::outcome, ACTION_TOKEN);
            cfg.routes.get("/api/recoveries/proposal", recoveries::proposal, VIEWER);
            cfg.routes.get("/api/recoveries", recoveries::list, VIEWER);
            cfg.routes.post("/api/recoveries", recoveries::start, ADMIN);
            cfg.routes.post("/api/recoveries/{id}/end", recoveries::end, ADMIN);
            cfg.routes.get("/api/journal/verify", actions::verifyJournal, VIEWER);
            cfg.routes.post("/api/journal/acknowledge", journalAdmin::acknowledge, ADMIN);
            cfg.routes.get("/api/overview", overview::get, VIEWER);
            cfg.routes.get("/api/readiness", readiness::get, VIEWER);
            cfg.routes.post("/api/readiness/run", readiness::run, ADMIN);
            cfg.routes.get("/api/readiness/drills", readiness::drills, VIEWER);
            cfg.routes.put("/api/readiness/drills/{name}", readiness::setDrill, ADMIN);
            cfg.routes.delete("/api/readiness/drills/{name}", readiness::removeDrill, ADMIN);
            cfg.routes.post("/api/readiness/drills/{name}/run", readiness::runDrill, ADMIN);
            cfg.routes.get("/api/action-token", actions::tokenStatus, VIEWER);
            cfg.routes.post("/api/action-token/reveal", actions::revealToken, ADMIN);
            cfg.routes.post("/api/action-token/rotate", actions::rotateToken, ADMIN);

            cfg.routes.get("/api/reference-sets", referenceSets::list, VIEWER);
            cfg.routes.get("/api/reference-sets/{name}", referenceSets::get, VIEWER);
            cfg.routes.post("/api/reference-sets/{name}/elements", referenceSets::add, ADMIN);
            cfg.routes.post("/api/reference-sets/{name}/import", referenceSets::importCsv, ADMIN);
            // <value> spans slashes: a file name may hold one.
            cfg.routes.delete("/api/reference-sets/{name}/elements/<value>", referenceSets::remove, ADMIN);

            cfg.routes.get("/api/offenses/rules", offenses::rules, VIEWER);
            cfg.routes.get("/api/offenses/status", offenses::status, VIEWER);
            cfg.routes.post("/api/offenses/poll", offenses::poll, ADMIN);

            cfg.routes.get("/api/settings", settings::get, VIEWER);
            cfg.routes.put("/api/settings", settings::update, ADMIN);

            ErrorMapping.register(cfg.routes);
        });
        started.set(app);
        return app;
    }
}
