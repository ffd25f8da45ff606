package safeguard.access;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import safeguard.UnauthorizedException;
import safeguard.http.UpstreamException;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.store.TokenFile;

/**
 * Inside QRadar the console vouches for the person using the tab: their {@code SEC} cookie is checked with
 * {@code GET /config/access/users?current_user=true}, and their user role's capabilities decide whether they may
 * change configuration. Answers are kept for a minute so a page load costs one round trip, not one per request.
 */
public final class QradarSessions implements Authenticator {
    static final Duration CACHE_FOR = Duration.ofSeconds(60);
    /** A role lookup that failed is asked again soon: the console may be back. */
    static final Duration RETRY_ROLE_AFTER = Duration.ofSeconds(5);
    static final int MAX_CACHED = 1_000;
    /** A SEC the console refused is refused without asking again for this long. */
    static final Duration REFUSED_FOR = Duration.ofSeconds(30);
    static final String NOT_ACCEPTED = "QRadar did not accept the session; sign in to QRadar again";
    static final String USERS = "/config/access/users";
    static final String ROLES = "/config/access/user_roles/";

    private record Known(String user, boolean admin, Instant until, String adminUnknown) {
    }

    private final QradarClient users;
    private final QradarClient service;
    private final String serviceToken;
    private final boolean onCloud;
    private final Clock clock;
    /** Keyed by the SEC's hash: the session tokens themselves are not kept. */
    private final Map<String, Known> cache = new ConcurrentHashMap<>();
    /** SEC hash → until when it is refused without asking. */
    private final Map<String, Instant> refused = new ConcurrentHashMap<>();

    /**
     * @param users        the console without a token of its own, asked with the caller's SEC
     * @param service      the console as the app's authorised service (null until an admin authorised the app):
     *                     reading a user role needs ADMIN, which an ordinary caller lacks
     * @param serviceToken the app's own SEC_ADMIN_TOKEN (null if none): QRadar itself calls with it, e.g. the
     *                     uninstall hook
     * @param onCloud      on QRadar on Cloud customer administrators hold SAASADMIN rather than ADMIN
     */
    public QradarSessions(QradarClient users, QradarClient service, String serviceToken, boolean onCloud, Clock clock) {
        this.users = users;
        this.service = service;
        this.serviceToken = serviceToken;
        this.onCloud = onCloud;
        this.clock = clock;
    }

    @Override
    public Caller identify(Credentials c) {
        String sec = c.sec();
        if (sec == null || sec.isBlank()) {
            throw new UnauthorizedException("no QRadar session: open Safeguard Responder from the QRadar console", "QRadar-SEC");
        }
        if (serviceToken != null && MessageDigest.isEqual(sec.getBytes(StandardCharsets.UTF_8),
                serviceToken.getBytes(StandardCharsets.UTF_8))) {
            return new Caller("qradar (app service)", true, mode(), false);
        }
        String key = TokenFile.hash(sec);
        Instant now = clock.instant();
        Instant refusedUntil = refused.get(key);
        if (refusedUntil != null && refusedUntil.isAfter(now)) {
            throw new UnauthorizedException(NOT_ACCEPTED, "QRadar-SEC");
        }
        Known known = cache.get(key);
        if (known == null || !known.until().isAfter(now)) {
            try {
                known = ask(sec, now);
            } catch (UnauthorizedException e) {
                remember(key, now);
                throw e;
            }
            if (cache.size() >= MAX_CACHED) {
                cache.values().removeIf(k -> !k.until().isAfter(now));
                if (cache.size() >= MAX_CACHED) {
                    cache.clear();
                }
            }
            cache.put(key, known);
        }
        return new Caller(known.user(), known.admin(), mode(), c.secFromCookie(), known.adminUnknown());
    }

    /** An unknown SEC is not looked up again for a while: a flood of made-up ones costs the console nothing. */
    private void remember(String key, Instant now) {
        if (refused.size() >= MAX_CACHED) {
            refused.values().removeIf(until -> !until.isAfter(now));
            if (refused.size() >= MAX_CACHED) {
                refused.clear();
            }
        }
        refused.put(key, now.plus(REFUSED_FOR));
    }

    private Known ask(String sec, Instant now) {
        JsonNode me;
        try {
            me = users.getAs(sec, USERS, Map.of("current_user", "true", "fields", "id,username,user_role_id"));
        } catch (QradarException e) {
            if (e.status() == 401 || e.status() == 403) {
                throw new UnauthorizedException(NOT_ACCEPTED, "QRadar-SEC");
            }
            throw new UpstreamException(e.status(), "cannot check the QRadar session: " + e.getMessage(), null);
        }
        JsonNode user = me.isArray() ? me.path(0) : me;
        String name = user.path("username").asText("");
        if (name.isEmpty()) {
            throw new UnauthorizedException("QRadar knows no user for this session", "QRadar-SEC");
        }
        try {
            return new Known(name, isAdmin(sec, user.path("user_role_id")), now.plus(CACHE_FOR), null);
        } catch (UpstreamException e) {
            // Still a valid user who may look; only changes wait until the role can be read.
            return new Known(name, false, now.plus(RETRY_ROLE_AFTER), e.getMessage());
        }
    }

    private boolean isAdmin(String sec, JsonNode roleId) {
        if (!roleId.canConvertToLong()) {
            return false;
        }
        String path = ROLES + roleId.asLong();
        Map<String, Object> query = Map.of("fields", "id,name,capabilities");
        JsonNode role;
        try {
            role = service != null ? service.get(path, query) : users.getAs(sec, path, query);
        } catch (QradarException e) {
            if (e.status() == 401 || e.status() == 403 || e.status() == 404) {
                return false; // only administrators may read user roles with their own session
            }
            throw new UpstreamException(e.status(), "cannot read the QRadar user role: " + e.getMessage(), null);
        }
        for (JsonNode cap : role.path("capabilities")) {
            String name = cap.isTextual() ? cap.asText() : cap.path("name").asText("");
            if (name.equals("ADMIN") || (onCloud && name.equals("SAASADMIN"))) {
                return true;
            }
        }
        // Older consoles leave capabilities out of the role; the built-in administrator role is called "Admin".
        return !role.has("capabilities") && role.path("name").asText("").equals("Admin");
    }

    @Override
    public String mode() {
        return "qradar";
    }
}
