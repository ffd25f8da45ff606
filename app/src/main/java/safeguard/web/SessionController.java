package safeguard.web;

import io.javalin.http.Context;
import java.util.Map;
import safeguard.ConflictException;
import safeguard.InvalidInputException;
import safeguard.access.Caller;
import safeguard.access.LocalAdmin;

/** Who the page is talking for; outside QRadar, signing in with the admin token and out again. */
public final class SessionController {
    private final LocalAdmin local;

    /** {@code local} is null inside QRadar, where the console's own sign-in is the only one. */
    public SessionController(LocalAdmin local) {
        this.local = local;
    }

    public void whoAmI(Context ctx) {
        Caller c = AccessFilter.caller(ctx);
        ctx.json(Map.of("user", c.user(), "admin", c.admin(), "mode", c.mode()));
    }

    public void signIn(Context ctx) {
        if (local == null) {
            throw new ConflictException("token", "inside QRadar you are signed in through the QRadar console");
        }
        String token = ctx.body().isBlank() ? null : ctx.bodyAsClass(SignIn.class).token();
        if (token == null || token.isBlank()) {
            throw new InvalidInputException("token", "token is required: the admin token printed at first start");
        }
        String session = local.signIn(token);
        ctx.header("Set-Cookie", AccessFilter.SESSION_COOKIE + "=" + session + "; Path=/; HttpOnly; SameSite=Strict; Max-Age="
                + LocalAdmin.SESSION_LIFETIME.toSeconds());
        ctx.json(Map.of("user", "local-admin", "admin", true, "mode", "local"));
    }

    public void signOut(Context ctx) {
        if (local != null) {
            local.signOut(ctx.cookie(AccessFilter.SESSION_COOKIE));
        }
        ctx.header("Set-Cookie", AccessFilter.SESSION_COOKIE + "=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0");
        ctx.status(204);
    }

    record SignIn(String token) {
    }
}
