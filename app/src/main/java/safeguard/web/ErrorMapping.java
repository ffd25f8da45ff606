package safeguard.web;

import com.fasterxml.jackson.core.JacksonException;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import java.util.UUID;
import org.eclipse.jetty.http.HttpException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.io.EofException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.ConflictException;
import safeguard.ForbiddenException;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.TooManyRequestsException;
import safeguard.UnauthorizedException;
import safeguard.http.UpstreamException;

/** Maps domain exceptions to HTTP answers in one place; callers never see a stack trace. */
public final class ErrorMapping {
    private static final Logger LOG = LoggerFactory.getLogger(ErrorMapping.class);
    private static final String ANSWERED = "safeguard.error-answered";

    private ErrorMapping() {
    }

    public static void register(RoutesConfig routes) {
        routes.exception(InvalidInputException.class, (e, ctx) ->
                send(ctx, 400, e.getMessage(), e.field()));
        routes.exception(UnauthorizedException.class, (e, ctx) -> {
            ctx.header("WWW-Authenticate", e.scheme());
            send(ctx, 401, e.getMessage(), "Bearer".equals(e.scheme()) ? "Authorization" : null);
        });
        routes.exception(TooManyRequestsException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            send(ctx, 429, e.getMessage(), null);
        });
        routes.exception(safeguard.UnavailableException.class, (e, ctx) -> {
            ctx.header("Retry-After", Long.toString(e.retryAfterSeconds()));
            send(ctx, 503, e.getMessage(), null);
        });
        routes.exception(ForbiddenException.class, (e, ctx) -> send(ctx, 403, e.getMessage(), null));
        routes.exception(NotFoundException.class, (e, ctx) -> send(ctx, 404, e.getMessage(), null));
        routes.exception(ConflictException.class, (e, ctx) -> send(ctx, 409, e.getMessage(), e.field()));
        // A storage system or QRadar that failed us: the gateway's problem, not the caller's.
        routes.exception(UpstreamException.class, (e, ctx) -> send(ctx, 502, e.getMessage(), null));
        routes.exception(JacksonException.class, (e, ctx) -> {
            JsonErrors.Problem p = JsonErrors.of(e);
            send(ctx, 400, p.message(), p.field());
        });
        // Jetty's own refusal while a handler reads the request, e.g. a body slower than the minimum rate (408).
        routes.exception(HttpException.RuntimeException.class, (e, ctx) -> send(ctx, e.getCode(),
                e.getReason() == null ? HttpStatus.getMessage(e.getCode()) : e.getReason(), null));
        // The client closed the connection before its body was complete: nobody reads the answer, nothing to log.
        routes.exception(EofException.class, (e, ctx) -> send(ctx, 400, "the request body ended early", null));
        // Javalin's own 404 means no route matched (the app's "not found" is NotFoundException).
        routes.exception(HttpResponseException.class, (e, ctx) -> send(ctx, e.getStatus(),
                e.getStatus() == 404 ? "no such endpoint: " + ctx.method() + " " + ctx.path() : e.getMessage(), null));
        routes.exception(Exception.class, (e, ctx) -> {
            // The reference lets an admin find the one log entry with the stack trace.
            String ref = UUID.randomUUID().toString();
            LOG.error("unhandled error on {} {} (ref {})", ctx.method(), ctx.path(), ref, e);
            send(ctx, 500, "internal error (ref " + ref + ")", null);
        });
        routes.error(404, ctx -> {
            // Only for paths no route matched: a route's own 404 ("no such target") already says what is missing.
            if (ctx.path().startsWith("/api/") && ctx.attribute(ANSWERED) == null) {
                send(ctx, 404, "no such endpoint: " + ctx.method() + " " + ctx.path(), null);
            }
        });
    }

    private static void send(Context ctx, int status, String message, String field) {
        ctx.attribute(ANSWERED, Boolean.TRUE);
        ctx.status(status).json(new ApiError(status, message, field));
    }
}
