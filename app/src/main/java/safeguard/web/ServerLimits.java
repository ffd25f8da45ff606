package safeguard.web;

import io.javalin.config.JettyConfig;
import java.time.Duration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.ServerConnector;

/**
 * What keeps slow or greedy clients from starving the server (issue #15: 40 connections trickling a body byte
 * every 5 s held all 32 workers for minutes, /debug timed out and QRadar restarted the app): bounded headers, a
 * body that stalls or trickles is cut off with a 408, and {@link ClientLimits} caps what runs at once per client
 * and in all, leaving workers free for /debug and /api/health. It also puts the security headers on every answer
 * ({@link ResponseHeaders}) and renders Jetty's own errors as the API's JSON ({@link JettyErrors}).
 */
public final class ServerLimits {
    /** Above Jetty's 8 KiB default: the console's own cookies travel with every request through its app proxy. */
    static final int REQUEST_HEADER_BYTES = 16 * 1024;
    /** A body must keep coming at this rate once it started; the largest (a CSV import) comes at LAN speed. */
    static final long MIN_BODY_BYTES_PER_SECOND = 256;
    /**
     * A connection that sends nothing this long is closed: a request body that stops (a blocked read), or a
     * kept-alive connection with no next request. Jetty's per-request idle timeout (HttpConfiguration) is not used:
     * with it a graceful stop waited for kept-alive connections past its own timeout.
     */
    static final Duration IDLE = Duration.ofSeconds(10);
    /**
     * Once a stop begins, a connection idle this long is closed. Jetty's default (1 s) held every stop for a full
     * second per kept-alive browser or console connection, with no request on it to wait for.
     */
    static final Duration IDLE_AT_STOP = Duration.ofMillis(200);
    /** A browser opens at most 6 connections to a host; a burst of custom actions waits its turn instead. */
    static final int PER_CLIENT = 8;
    /** Left free for the liveness routes (plus Jetty's acceptor and selector threads). */
    static final int RESERVED_THREADS = 8;
    static final int PER_CLIENT_WAITING = 200;
    static final int TOTAL_WAITING = 400;
    static final Duration MAX_WAIT = Duration.ofSeconds(30);

    private ServerLimits() {
    }

    /**
     * @param maxThreads  the size of Jetty's pool
     * @param clients     whom a request counts against (the console proxy's X-Forwarded-For only from that proxy)
     */
    public static void apply(JettyConfig jetty, int maxThreads, ClientAddress clients, SecurityHeaders headers) {
        jetty.modifyHttpConfiguration(http -> {
            http.setRequestHeaderSize(REQUEST_HEADER_BYTES);
            http.setMinRequestDataRate(MIN_BODY_BYTES_PER_SECOND);
        });
        // Javalin adds its default connector only when none was added; host and port are read when it starts.
        jetty.addConnector((server, http) -> {
            ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http));
            connector.setHost(jetty.host);
            connector.setPort(jetty.port);
            connector.setIdleTimeout(IDLE.toMillis());
            connector.setShutdownIdleTimeout(IDLE_AT_STOP.toMillis());
            return connector;
        });
        jetty.modifyServer(server -> {
            server.setErrorHandler(new JettyErrors(headers));
            server.insertHandler(new ClientLimits(PER_CLIENT, maxThreads - RESERVED_THREADS, PER_CLIENT_WAITING,
                    TOTAL_WAITING, MAX_WAIT, clients));
            // Outermost: the refusals of the limits carry the headers too.
            server.insertHandler(new ResponseHeaders(headers));
        });
    }
}
