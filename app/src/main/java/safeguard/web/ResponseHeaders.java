package safeguard.web;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;

/**
 * The security headers on every answer (the tab, its files and the API alike), set before anything else runs so
 * no route can forget them; API answers are never stored by a browser or proxy, since some carry tokens.
 */
final class ResponseHeaders extends Handler.Wrapper {
    private final SecurityHeaders headers;

    ResponseHeaders(SecurityHeaders headers) {
        this.headers = headers;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        headers.apply(response.getHeaders()::put);
        if (Request.getPathInContext(request).startsWith("/api/")) {
            response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        }
        return super.handle(request, response, callback);
    }
}
