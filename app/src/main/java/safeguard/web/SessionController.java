package safeguard.web;

import io.javalin.http.Context;
import java.util.Map;
import safeguard.ConflictException;
import safeguard.InvalidInputException;
import safeguard.TooManyRequestsException;
import safeguard.UnauthorizedException;
import safeguard.access.Caller;
import safeguard.access.LocalAdmin;
import safeguard.access.Refusals;

/** Who the page is talking for; outside QRadar, signing in with the admin token and out again. */
public final class SessionController {
    private final LocalAdmin local;
    private final Refusals refusals;
    private final ClientAddress clients;
    private final boolean secureCookies;

    /** {@code local} is null inside QRadar, where the console's own sign-in is the only one. */
    public SessionController(LocalAdmin local, Refusals refusals, ClientAddress clients, boolean secureCookies) {
        this.local = local;
        this.secureCookies = secureCookies;
        this.refusals = refusals;
        this.clients = clients;
    }

    public void whoAmI(Context ctx) {
        Caller c = AccessFilter.caller(ctx);
        ctx.json(Map.of("user", c.user(), "admin", c.admin(), "mode", c.mode()));
    }

    public void signIn(Context ctx) {
        if (local == null) {
            throw new ConflictException("token", "inside QRadar you are signed in through the QRadar console");
        }
        // Checked before the token is: past the budget even the right token waits, so guessing gains nothing.
        String client = clients.of(ctx);
        long wait = refusals.waitSeconds(client, Refusals.Kind.SIGN_IN, Refusals.SIGN_IN_BUDGET);
        if (wait > 0) {
            throw new TooManyRequestsException("too many wrong admin tokens from this client; wait " + wait + " s", wait);
        }
        String token = ctx.body().isBlank() ? null : Bodies.read(ctx, SignIn.class, "a JSON object {\"token\": ...}").token();
        if (token == null || token.isBlank()) {
            throw new InvalidInputException("token", "token is required: the admin token printed at first start");
        }
        String session;
        try {
            session = local.signIn(token);
        } catch (UnauthorizedException e) {
            refusals.refused(client, Refusals.Kind.SIGN_IN, e.getMessage());
            throw e;
        }
        ctx.header("Set-Cookie", AccessFilter.SESSION_COOKIE + "=" + session + attributes(ctx) + "; Max-Age="
                + LocalAdmin.SESSION_LIFETIME.toSeconds());
        ctx.header("Cache-Control", "no-store");
        ctx.json(Map.of("user", "local-admin", "admin", true, "mode", "local"));
    }

    public void signOut(Context ctx) {
        if (local != null) {
            local.signOut(ctx.cookie(AccessFilter.SESSION_COOKIE));
        }
        ctx.header("Set-Cookie", AccessFilter.SESSION_COOKIE + "=" + attributes(ctx) + "; Max-Age=0");
        ctx.status(204);
    }

    /** Secure when the config says the browser comes over HTTPS, or this request did. */
    private String attributes(Context ctx) {
        boolean secure = secureCookies || "https".equalsIgnoreCase(ctx.scheme());
        return "; Path=/; HttpOnly; SameSite=Strict" + (secure ? "; Secure" : "");
    }

    record SignIn(String token) {
    }
}
