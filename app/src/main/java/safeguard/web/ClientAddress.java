package safeguard.web;

import java.net.InetAddress;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import safeguard.http.IpLiteral;

/**
 * Whom a request counts against, for per-client limits and refusal counts: the peer's address, unless the peer is a
 * proxy the app trusts. Inside QRadar every request of a browser or a custom action arrives through the console's
 * app proxy (QRADAR_CONSOLE_IP, plus any SAFEGUARD_TRUSTED_PROXIES), and the right-most X-Forwarded-For entry is the
 * one that proxy wrote (entries left of it are whatever the client sent). A connection from anywhere else (the
 * container's mapped port reached directly) is its own client whatever X-Forwarded-For it carries, so a new value
 * per request does not make a new client.
 */
public final class ClientAddress {
    static final String FORWARDED_FOR = "X-Forwarded-For";
    /** Longer than any IPv6 literal: anything else is not an address the proxy wrote. */
    private static final int MAX_LENGTH = 64;

    private final Set<InetAddress> trusted;

    /** {@code trustedProxies}: IP literals; anything else in the list is ignored (config checks it at start). */
    public ClientAddress(Collection<String> trustedProxies) {
        Set<InetAddress> t = new HashSet<>();
        for (String p : trustedProxies) {
            InetAddress a = IpLiteral.parse(p.trim());
            if (a != null) {
                t.add(a);
            }
        }
        this.trusted = Set.copyOf(t);
    }

    String of(io.javalin.http.Context ctx) {
        return of(ctx.ip(), ctx.header(FORWARDED_FOR));
    }

    String of(String peer, String forwardedFor) {
        String p = peer == null ? "" : peer.startsWith("[") && peer.endsWith("]") ? peer.substring(1, peer.length() - 1) : peer;
        if (forwardedFor != null && !trusted.isEmpty()) {
            InetAddress from = IpLiteral.parse(p);
            if (from != null && trusted.contains(from)) {
                String last = forwardedFor.substring(forwardedFor.lastIndexOf(',') + 1).trim();
                if (!last.isEmpty() && last.length() <= MAX_LENGTH && IpLiteral.parse(last) != null) {
                    return last;
                }
            }
        }
        return p.isEmpty() ? "unknown" : p;
    }
}
