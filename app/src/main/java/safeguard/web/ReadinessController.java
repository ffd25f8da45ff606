package safeguard.web;

import io.javalin.http.Context;
import safeguard.readiness.DrillSpec;
import safeguard.readiness.Drills;
import safeguard.readiness.ReadinessService;

public final class ReadinessController {
    private final ReadinessService readiness;
    private final Drills drills;

    public ReadinessController(ReadinessService readiness, Drills drills) {
        this.readiness = readiness;
        this.drills = drills;
    }

    public void drills(Context ctx) {
        ctx.json(java.util.Map.of("drills", drills.list()));
    }

    public void setDrill(Context ctx) {
        ctx.json(drills.set(PathParams.of(ctx, "name"), Bodies.read(ctx, DrillSpec.class,
                "a JSON object naming the fileset, session or job for drills")));
        readiness.runSoon();
    }

    public void removeDrill(Context ctx) {
        drills.remove(PathParams.of(ctx, "name"));
        readiness.runSoon();
        ctx.status(204);
    }

    public void runDrill(Context ctx) {
        ctx.json(drills.run(PathParams.of(ctx, "name")));
        readiness.runSoon();
    }

    public void get(Context ctx) {
        ctx.json(readiness.current());
    }

    public void run(Context ctx) {
        ctx.json(readiness.run());
    }
}
