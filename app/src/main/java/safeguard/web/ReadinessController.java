package safeguard.web;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.http.Context;
import java.time.Duration;
import safeguard.Json;
import safeguard.readiness.DrillSpec;
import safeguard.readiness.Drills;
import safeguard.readiness.ReadinessService;

public final class ReadinessController {
    /** A run that takes longer (a target that does not answer) goes on without holding the request's thread. */
    static final Duration RUN_WAIT = Duration.ofSeconds(5);
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

    /**
     * 200 with the result when the checks end within {@link #RUN_WAIT}; else 202 with the last result marked
     * {@code "running": true}: the run goes on, and GET /api/readiness has it once its {@code checkedAt} moves.
     */
    public void run(Context ctx) {
        var done = readiness.runWithin(RUN_WAIT);
        if (done.isPresent()) {
            ctx.json(done.get());
            return;
        }
        ObjectNode body = readiness.last()
                .map(r -> (ObjectNode) Json.mapper().valueToTree(r))
                .orElseGet(() -> Json.mapper().createObjectNode().put("state", "pending"));
        body.put("running", true);
        ctx.status(202).json(body);
    }
}
