package safeguard.web;

import io.javalin.http.Context;
import safeguard.readiness.ReadinessService;

public final class ReadinessController {
    private final ReadinessService readiness;

    public ReadinessController(ReadinessService readiness) {
        this.readiness = readiness;
    }

    public void get(Context ctx) {
        ctx.json(readiness.current());
    }

    public void run(Context ctx) {
        ctx.json(readiness.run());
    }
}
