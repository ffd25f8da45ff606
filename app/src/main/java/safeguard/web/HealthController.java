package safeguard.web;

import io.javalin.http.Context;
import safeguard.health.HealthService;

public final class HealthController {
    private final HealthService health;

    public HealthController(HealthService health) {
        this.health = health;
    }

    /** QRadar polls this on port 5000 and restarts the app when it fails, so it does no I/O at all. */
    public void debug(Context ctx) {
        ctx.result("ok");
    }

    public void health(Context ctx) {
        ctx.json(health.check());
    }
}
