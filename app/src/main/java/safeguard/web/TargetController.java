package safeguard.web;

import io.javalin.http.Context;
import safeguard.targets.Connector;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;

public final class TargetController {
    private final TargetService targets;
    private final Connector connector;
    private final Runnable changed;

    /** {@code changed} runs after a target is added, changed or removed (QRadar's custom actions follow the targets; readiness checks again). */
    public TargetController(TargetService targets, Connector connector, Runnable changed) {
        this.targets = targets;
        this.connector = connector;
        this.changed = changed;
    }

    public void list(Context ctx) {
        ctx.json(targets.list());
    }

    public void get(Context ctx) {
        ctx.json(targets.view(ctx.pathParam("name")));
    }

    public void create(Context ctx) {
        ctx.status(201).json(targets.create(body(ctx)));
        changed.run();
    }

    public void update(Context ctx) {
        ctx.json(targets.update(ctx.pathParam("name"), body(ctx)));
        changed.run();
    }

    public void delete(Context ctx) {
        targets.delete(ctx.pathParam("name"));
        changed.run();
        ctx.status(204);
    }

    public void test(Context ctx) {
        ctx.json(connector.test(ctx.pathParam("name")));
    }

    public void snapshots(Context ctx) {
        ctx.json(connector.snapshots(ctx.pathParam("name"), ctx.queryParam("fileset")));
    }

    private static TargetInput body(Context ctx) {
        return Bodies.readStrict(ctx, TargetInput.class, "a JSON target");
    }
}
