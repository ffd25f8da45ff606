package safeguard.web;

import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.javalin.security.RouteRole;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.ForbiddenException;
import safeguard.UnauthorizedException;
import safeguard.access.Access;
import safeguard.access.Authenticator;
import safeguard.access.Caller;
import safeguard.access.Credentials;
import safeguard.access.Refusals;

/**
 * Runs before every matched route: finds who is calling and whether the route's {@link Access} lets them. An /api
 * route that names no access is treated as ADMIN, so a forgotten role fails closed.
 */
public final class AccessFilter {
    static final String SESSION_COOKIE = "safeguard_session";
    static final String CALLER = "caller";
    /** Browsers only send a custom header from our own pages (no CORS here), so it proves the page is ours. */
    static final String CSRF_HEADER = "X-Requested-With";
    private static final Logger LOG = LoggerFactory.getLogger(AccessFilter.class);

    private final Authenticator auth;
    private final Refusals refusals;
    private final ClientAddress clients;

    public AccessFilter(Authenticator auth, Refusals refusals, ClientAddress clients) {
        this.auth = auth;
        this.refusals = refusals;
        this.clients = clients;
    }

    public void check(Context ctx) {
        Access need = need(ctx.routeRoles(), ctx.path());
        if (need == Access.PUBLIC || need == Access.ACTION_TOKEN) {
            return;
        }
        String cookieSec = ctx.cookie("SEC");
        String sec = cookieSec != null ? cookieSec : ctx.header("SEC");
        Credentials presented = new Credentials(sec, cookieSec != null, bearer(ctx.header("Authorization")),
                ctx.cookie(SESSION_COOKIE));
        Caller caller;
        try {
            caller = auth.identify(presented);
        } catch (UnauthorizedException e) {
            if (presented.sec() != null || presented.bearer() != null || presented.session() != null) {
                refused(ctx, e);
            }
            throw e;
        }
        boolean changes = !(ctx.method() == HandlerType.GET || ctx.method() == HandlerType.HEAD);
        if (changes && caller.viaCookie() && ctx.header(CSRF_HEADER) == null && ctx.header("QRadarCSRF") == null) {
            throw new ForbiddenException("state-changing requests from a browser must come from the app's own page ("
                    + CSRF_HEADER + " header missing)");
        }
        if (need == Access.ADMIN && !caller.admin()) {
            throw new ForbiddenException(caller.adminUnknown() != null
                    ? "could not confirm that " + caller.user() + " is a QRadar administrator (" + caller.adminUnknown()
                    + "); try again shortly"
                    : "only a QRadar administrator can change this; " + caller.user() + " may look but not change");
        }
        if (changes) {
            // The app log is where an admin looks for who changed the configuration.
            LOG.info("{} {} by {} ({})", ctx.method(), ctx.path(), caller.user(), caller.mode());
        }
        ctx.attribute(CALLER, caller);
    }

    /** Counted, not journaled one by one; past the budget the answer is 429 instead of 401. */
    private void refused(Context ctx, UnauthorizedException e) {
        refusals.tokenRefused(clients.of(ctx), e.getMessage(), "credentials");
    }

    static Caller caller(Context ctx) {
        return ctx.attribute(CALLER);
    }

    private static Access need(Set<RouteRole> roles, String path) {
        for (RouteRole r : roles) {
            if (r instanceof Access a) {
                return a;
            }
        }
        return path.startsWith("/api/") ? Access.ADMIN : Access.PUBLIC;
    }

    private static String bearer(String authorization) {
        if (authorization == null || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return null;
        }
        return authorization.substring(7).trim();
    }
}
