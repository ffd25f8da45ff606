package safeguard.web;

import io.javalin.http.Context;
import safeguard.targets.ConnectionTests;
import safeguard.targets.Connector;
import safeguard.targets.TargetInput;
import safeguard.targets.TargetService;

public final class TargetController {
    private final TargetService targets;
    private final Connector connector;
    private final ConnectionTests tests;
    private final Runnable changed;

    /** {@code changed} runs after a target is added, changed or removed (QRadar's custom actions follow the targets; readiness checks again). */
    public TargetController(TargetService targets, Connector connector, ConnectionTests tests, Runnable changed) {
        this.targets = targets;
        this.connector = connector;
        this.tests = tests;
        this.changed = changed;
    }

    public void list(Context ctx) {
        ctx.json(targets.list());
    }

    public void get(Context ctx) {
        ctx.json(targets.view(PathParams.of(ctx, "name")));
    }

    public void create(Context ctx) {
        ctx.status(201).json(targets.create(body(ctx)));
        changed.run();
    }

    public void update(Context ctx) {
        ctx.json(targets.update(PathParams.of(ctx, "name"), body(ctx)));
        changed.run();
    }

    public void delete(Context ctx) {
        targets.delete(PathParams.of(ctx, "name"));
        changed.run();
        ctx.status(204);
    }

    /** The result (200) when the test ends within a few seconds; else 202, to be followed at GET .../test. */
    public void test(Context ctx) {
        var t = tests.start(PathParams.of(ctx, "name"));
        answer(ctx, t, tests.result(t, true));
    }

    /** The target's last test: 200 with its result, 202 while it runs, 404 when there is none. */
    public void lastTest(Context ctx) {
        var t = tests.last(PathParams.of(ctx, "name"));
        answer(ctx, t, tests.result(t, false));
    }

    private static void answer(Context ctx, ConnectionTests.Test t, Object result) {
        if (result != null) {
            ctx.json(result);
            return;
        }
        ctx.header("Location", "api/targets/" + java.net.URLEncoder.encode(t.target(), java.nio.charset.StandardCharsets.UTF_8)
                .replace("+", "%20") + "/test");
        ctx.status(202).json(t.running());
    }

    public void snapshots(Context ctx) {
        ctx.json(connector.snapshots(PathParams.of(ctx, "name"), ctx.queryParam("fileset")));
    }

    private static TargetInput body(Context ctx) {
        return Bodies.readStrict(ctx, TargetInput.class, "a JSON target");
    }
}
