package safeguard.http;

import java.util.Map;
import java.util.function.Function;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.UnirestInstance;

/**
 * Calls under a login session carried in a header (CSM's {@code X-Auth-Token}, CDM's
 * {@code X-Endeavour-Sessionid}): the session is taken from the target's {@link SessionCache.Slot} or made by
 * {@code login}; on 401 it is dropped and the call repeated once under a fresh login (both vendors' clients do
 * this, storage-apis.md §2.1 and §3.1); a second refusal is a credentials fault.
 */
public final class SessionCalls {
    /** Logs in and returns the session token; throws {@link UpstreamException} when refused. */
    @FunctionalInterface
    public interface Login {
        String login();
    }

    private final Upstream up;
    private final String header;
    private final Map<String, String> headers;
    private final Login login;
    private final SessionCache.Slot slot;
    private final String system;
    private final String user;

    public SessionCalls(Upstream up, String header, Map<String, String> headers, Login login, SessionCache.Slot slot,
                        String system, String user) {
        this.up = up;
        this.header = header;
        this.headers = Map.copyOf(headers);
        this.login = login;
        this.slot = slot;
        this.system = system;
        this.user = user;
    }

    /** The current session, logging in when there is none. */
    public String session() {
        return slot.token().orElseGet(this::fresh);
    }

    /** The session held now, without logging in. */
    public java.util.Optional<String> current() {
        return slot.token();
    }

    private String fresh() {
        String t = login.login();
        slot.keep(t);
        return t;
    }

    public Upstream.Reply send(String op, String method, String path, Function<UnirestInstance, HttpRequest<?>> req) {
        return call(op, method, path, null, true, req);
    }

    public Upstream.Reply create(String op, String method, String path, String creates, boolean repeatable,
                                 Function<UnirestInstance, HttpRequest<?>> req) {
        return call(op, method, path, creates, repeatable, req);
    }

    /**
     * A request that starts work which must not be started twice (a second Backup is a second backup), sent once.
     * Its answer; or null when the answer was lost on the way back or was a server error, since the work may
     * have been done either way: the caller then looks for {@code looking} instead of assuming (the reason is
     * put in {@code details} as "note"). A fault that certainly kept the request from the system is thrown.
     */
    public Upstream.Reply startOnce(String op, String method, String path, String creates, String what, String looking,
                                    Map<String, String> details, Function<UnirestInstance, HttpRequest<?>> req) {
        Upstream.Reply r;
        try {
            r = call(op, method, path, creates, false, req);
        } catch (UpstreamException lost) {
            if (!lost.mayHaveArrived()) {
                throw lost;
            }
            details.put("note", "the answer to " + what + " was lost (" + lost.getMessage() + "); looking for " + looking);
            return null;
        }
        if (r.status() >= 500) {
            details.put("note", system + " answered " + what + " with HTTP " + r.status() + "; looking for " + looking);
            return null;
        }
        return r;
    }

    private Upstream.Reply call(String op, String method, String path, String creates, boolean repeatable,
                                Function<UnirestInstance, HttpRequest<?>> req) {
        String token = session();
        Upstream.Reply r = once(op, method, path, creates, repeatable, req, token);
        if (r.status() == 401) {
            // The session expired (or was ended elsewhere): a 401 means the request was not acted on.
            slot.drop(token);
            token = fresh();
            r = once(op + " (after re-login)", method, path, creates, repeatable, req, token);
        }
        if (r.status() == 401 || r.status() == 403) {
            if (r.status() == 401) {
                slot.drop(token);
            }
            throw UpstreamException.of(Faults.ofStatus(r.status(), system, user).orElseThrow(), r.status());
        }
        return r;
    }

    private Upstream.Reply once(String op, String method, String path, String creates, boolean repeatable,
                                Function<UnirestInstance, HttpRequest<?>> req, String token) {
        Function<UnirestInstance, HttpRequest<?>> withSession = h -> {
            HttpRequest<?> r = req.apply(h).header(header, token);
            headers.forEach(r::header);
            return r;
        };
        return creates == null ? up.send(op, method, path, withSession)
                : up.create(op, method, path, creates, repeatable, withSession);
    }

    /** Forgets the current session (after a logout). */
    public void forget(String token) {
        slot.drop(token);
    }
}
