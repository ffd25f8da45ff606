package safeguard.web;

import io.javalin.http.Context;
import safeguard.content.ContentService;

public final class ContentController {
    private final ContentService content;

    public ContentController(ContentService content) {
        this.content = content;
    }

    public void status(Context ctx) {
        ctx.json(content.status());
    }

    public void actionCaller(Context ctx) {
        ctx.json(content.actionCaller());
    }

    public void rotateActionCaller(Context ctx) {
        ctx.json(java.util.Map.of("customActionsUpdated", content.rotateActionCaller()));
    }

    /** QRadar's uninstall hook: must answer 2xx with JSON even when some removals failed. */
    public void uninstall(Context ctx) {
        ctx.json(content.uninstall());
    }
}
