package safeguard.web;

import io.javalin.http.Context;
import java.util.Map;
import safeguard.recover.RecoveryRequest;
import safeguard.recover.RecoveryService;

/** /api/recoveries: the proposed recovery point (viewers), restores and ending a clean room (admins). */
public final class RecoveryController {
    private final RecoveryService recoveries;

    public RecoveryController(RecoveryService recoveries) {
        this.recoveries = recoveries;
    }

    public void proposal(Context ctx) {
        ctx.json(recoveries.propose(ctx.queryParam("action")));
    }

    public void list(Context ctx) {
        ctx.json(Map.of("recoveries", recoveries.list(ctx.queryParam("action"))));
    }

    /** A dry run answers 200 with the plan; a confirmed restore 202 with the action that runs it. */
    public void start(Context ctx) {
        var plan = recoveries.start(Bodies.read(ctx, RecoveryRequest.class, "a JSON recovery"), user(ctx));
        ctx.status(plan.dryRun() ? 200 : 202).json(plan);
    }

    /** 202: the end is journaled and runs now; the recovery's timeline shows its outcome (clean-room-ended). */
    public void end(Context ctx) {
        String id = PathParams.of(ctx, "id");
        Confirm c = Bodies.read(ctx, Confirm.class, "a JSON body with confirm");
        ctx.status(202).json(recoveries.endCleanRoom(id, c == null ? null : c.confirm(), user(ctx)));
    }

    /** The body of POST /api/recoveries/{id}/end: the target's name, typed. */
    record Confirm(String confirm) {
    }

    private static String user(Context ctx) {
        var caller = AccessFilter.caller(ctx);
        return caller == null ? null : caller.user();
    }
}
