package safeguard.web;

import io.javalin.http.Context;
import java.util.Map;
import safeguard.actions.ActionAnswer;
import safeguard.actions.ActionRequest;
import safeguard.actions.ActionService;
import safeguard.actions.ActionToken;
import safeguard.UnauthorizedException;
import safeguard.access.Refusals;

public final class ActionController {
    private final ActionService actions;
    private final ActionToken token;
    private final java.util.function.ToIntFunction<String> arm;
    private final Refusals refusals;
    private final ClientAddress clients;

    /** {@code arm} puts a token an admin was just shown into QRadar's custom actions, returning how many. */
    public ActionController(ActionService actions, ActionToken token, java.util.function.ToIntFunction<String> arm,
                            Refusals refusals, ClientAddress clients) {
        this.actions = actions;
        this.token = token;
        this.arm = arm;
        this.refusals = refusals;
        this.clients = clients;
    }

    /**
     * The custom action's call: token first (refusals are counted and journaled as summaries), then 202 with the
     * decision; a coalesced request is told where the action covering it stands now (it may have ended long ago).
     */
    public void submit(Context ctx) {
        checkToken(ctx);
        ActionRequest req = Bodies.read(ctx, ActionRequest.class, "a JSON action");
        ActionAnswer answer = actions.submit(req);
        if ("coalesced".equals(answer.status()) && answer.coalescedInto() != null) {
            answer = answer.covering(actions.standing(answer.id()).summary());
        }
        ctx.status(202).json(answer);
    }

    /** The custom action waiting for its outcome: the same token, and only where the action stands. */
    public void outcome(Context ctx) {
        checkToken(ctx);
        ctx.json(actions.standing(PathParams.of(ctx, "id")));
    }

    private void checkToken(Context ctx) {
        try {
            token.check(ctx.header("Authorization"));
        } catch (UnauthorizedException e) {
            refusals.tokenRefused(clients.of(ctx), e.getMessage(), "action tokens");
            throw e;
        }
    }

    public void list(Context ctx) {
        String limit = ctx.queryParam("limit");
        int n;
        try {
            n = limit == null ? 50 : Integer.parseInt(limit);
        } catch (NumberFormatException e) {
            throw new safeguard.InvalidInputException("limit", "limit must be a number");
        }
        ConditionalJson.send(ctx, actions.list(ctx.queryParam("since"), ctx.queryParam("status"), ctx.queryParam("target"),
                ctx.queryParam("before"), n));
    }

    public void get(Context ctx) {
        ConditionalJson.send(ctx, actions.detail(PathParams.of(ctx, "id")));
    }

    public void verifyJournal(Context ctx) {
        ctx.json(actions.verifyJournal("true".equals(ctx.queryParam("fresh"))));
    }

    /** A new action token, shown in this answer only; the old one stops working at once. */
    public void rotateToken(Context ctx) {
        String fresh = token.rotate();
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("token", fresh, "createdAt", token.createdAt(), "qradarActionsUpdated", arm.applyAsInt(fresh)));
    }

    /** The token made at first start, exactly once. */
    public void revealToken(Context ctx) {
        var t = token.revealInitial();
        ctx.header("Cache-Control", "no-store");
        if (t.isEmpty()) {
            ctx.status(410).json(Map.of("status", 410, "error", "the initial token was shown already; rotate to get a new one"));
            return;
        }
        ctx.json(Map.of("token", t.get(), "createdAt", token.createdAt(), "qradarActionsUpdated", arm.applyAsInt(t.get())));
    }

    public void tokenStatus(Context ctx) {
        ctx.json(Map.of("createdAt", token.createdAt(), "initialTokenUnrevealed", token.initialUnrevealed()));
    }
}
