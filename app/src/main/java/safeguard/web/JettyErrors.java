package safeguard.web;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;
import safeguard.Json;

/**
 * What Jetty answers by itself, before any route runs (a malformed URI, an encoded NUL, headers over the bound, a
 * body too slow): the API's one error shape instead of Jetty's HTML page, and never a stack trace.
 */
final class JettyErrors extends ErrorHandler {
    private final SecurityHeaders headers;

    JettyErrors(SecurityHeaders headers) {
        this.headers = headers;
    }

    @Override
    protected void generateResponse(Request request, Response response, int code, String message, Throwable cause,
                                    Callback callback) throws IOException {
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.apply(response.getHeaders()::put);
        byte[] body = Json.mapper().writeValueAsBytes(new ApiError(code, text(code, message), null));
        response.write(true, ByteBuffer.wrap(body), callback);
    }

    /** Jetty's default writes a body only for GET, POST and HEAD: a PUT or DELETE got an empty 400, no headers. */
    @Override
    public boolean errorPageForMethod(String method) {
        return true;
    }

    /** Jetty's own reason ("Ambiguous URI path separator") is safe to show; a missing one becomes the status text. */
    private static String text(int code, String message) {
        String reason = HttpStatus.getMessage(code);
        if (message == null || message.isBlank() || message.length() > 200) {
            return reason;
        }
        return message.equals(reason) ? reason : reason + ": " + message;
    }
}
