package safeguard.web;

import io.javalin.http.Context;
import safeguard.overview.Overview;

public final class OverviewController {
    private final Overview overview;

    public OverviewController(Overview overview) {
        this.overview = overview;
    }

    public void get(Context ctx) {
        // generatedAt moves on every call: the tag is of what the report says, so an unchanged state is a 304.
        ConditionalJson.send(ctx, overview.report(), "generatedAt");
    }
}
