package safeguard.web;

/**
 * Whom a request counts against, for per-client limits and refusal counts. Outside QRadar: the peer's address.
 * Inside QRadar every request arrives through the console's app proxy, so the peer is always the console; the
 * right-most X-Forwarded-For entry is the one that proxy wrote (entries left of it are whatever the client sent).
 */
public final class ClientAddress {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Longer than any IPv6 literal: anything else is not an address the proxy wrote. */
    private static final int MAX_LENGTH = 64;

    private final boolean behindProxy;

    public ClientAddress(boolean behindProxy) {
        this.behindProxy = behindProxy;
    }

    String of(io.javalin.http.Context ctx) {
        return of(ctx.ip(), ctx.header(FORWARDED_FOR), behindProxy);
    }

    static String of(String peer, String forwardedFor, boolean behindProxy) {
        if (behindProxy && forwardedFor != null) {
            String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).trim();
            if (!last.isEmpty() && last.length() <= MAX_LENGTH) {
                return last;
            }
        }
        return peer == null || peer.isEmpty() ? "unknown" : peer;
    }
}
