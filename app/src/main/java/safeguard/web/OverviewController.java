package safeguard.web;

import io.javalin.http.Context;
import safeguard.overview.Overview;

public final class OverviewController {
    private final Overview overview;

    public OverviewController(Overview overview) {
        this.overview = overview;
    }

    public void get(Context ctx) {
        ctx.json(overview.report());
    }
}
