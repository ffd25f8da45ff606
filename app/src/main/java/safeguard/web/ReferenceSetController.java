package safeguard.web;

import io.javalin.http.Context;
import java.util.List;
import safeguard.refsets.ReferenceSetService;

public final class ReferenceSetController {
    private final ReferenceSetService sets;

    public ReferenceSetController(ReferenceSetService sets) {
        this.sets = sets;
    }

    public void list(Context ctx) {
        ctx.json(sets.list());
    }

    public void get(Context ctx) {
        ctx.json(sets.get(ctx.pathParam("name")));
    }

    /** JSON {@code {"values": [...]}} typed in the page. */
    public void add(Context ctx) {
        ctx.json(sets.add(ctx.pathParam("name"), Bodies.read(ctx, Values.class, "a JSON body {\"values\": [...]}").values(),
                source(ctx)));
    }

    /** A CSV file as the request body (text/csv), first column. */
    public void importCsv(Context ctx) {
        ctx.json(sets.importCsv(ctx.pathParam("name"), ctx.body(), source(ctx)));
    }

    public void remove(Context ctx) {
        sets.remove(ctx.pathParam("name"), ctx.pathParam("value"));
        ctx.status(204);
    }

    private static String source(Context ctx) {
        return "Safeguard Responder (" + AccessFilter.caller(ctx).user() + ")";
    }

    record Values(List<String> values) {
    }
}
