package safeguard.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import safeguard.Json;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.SecretBox;

/**
 * The credentials the custom action's script carries through the console's app proxy: a dedicated QRadar
 * authorized service (its token is the script's {@code SEC}; the proxy lets an authorized service's POST through
 * without a CSRF token) and the app's action token. Both are kept sealed (AES-GCM, the store's key) because
 * QRadar answers encrypted parameters sealed and every update of a custom action must send all its parameters
 * again. The service is made with the user role and security profile an admin chose in Settings, and replaced
 * (then the old one deleted) when the choice changes, before it expires, or on request.
 */
final class ActionCaller {
    static final String FILE = "qradar-action-caller.json";
    static final String SERVICES = "/config/access/authorized_services";
    static final String KIND = "authorized-service";
    static final String LABEL = "Safeguard Responder custom action";
    /** A parameter with nothing to carry: QRadar passes arguments by position, so none is ever left empty. */
    static final String NONE = "none";
    /** Replaced this long before it expires (or at a tenth of its life, if shorter). */
    static final Duration RENEW_BEFORE = Duration.ofDays(7);

    /**
     * What the store keeps; tokens sealed. {@code armed}: hash of the values last put into every custom action;
     * {@code script}: SHA-256 of the script QRadar holds for them (QRadar never shows a script's content; a state
     * written before this field existed reads null, so the script is replaced once).
     */
    record State(Long serviceId, String label, Long userRoleId, Long securityProfileId, Long createdAt, Long expiresAt,
                 String sealedSec, String sealedActionToken, Long retiredServiceId, String armed, String script) {
        static final State EMPTY = new State(null, null, null, null, null, null, null, null, null, null, null);

        State withActionToken(String sealed) {
            return new State(serviceId, label, userRoleId, securityProfileId, createdAt, expiresAt, sealedSec, sealed,
                    retiredServiceId, armed, script);
        }

        State withArmed(String hash) {
            return new State(serviceId, label, userRoleId, securityProfileId, createdAt, expiresAt, sealedSec,
                    sealedActionToken, retiredServiceId, hash, script);
        }

        State withScript(String digest) {
            return new State(serviceId, label, userRoleId, securityProfileId, createdAt, expiresAt, sealedSec,
                    sealedActionToken, retiredServiceId, armed, digest);
        }

        State withoutRetired() {
            return new State(serviceId, label, userRoleId, securityProfileId, createdAt, expiresAt, sealedSec,
                    sealedActionToken, null, armed, script);
        }
    }

    /** The values a custom action runs with. */
    record Armed(String actionToken, String secToken, String consolePin) {
        String hash(String appUrl) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(String.join("\n", appUrl, actionToken, secToken,
                        consolePin).getBytes(StandardCharsets.UTF_8));
                return HexFormat.of().formatHex(d);
            } catch (java.security.GeneralSecurityException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private final Store store;
    private final SecretBox box;
    private final QradarClient qradar;
    private final Clock clock;
    private final Supplier<Settings> settings;
    private final Supplier<String> consolePin;
    private State state;

    ActionCaller(Store store, QradarClient qradar, Clock clock, Supplier<Settings> settings, Supplier<String> consolePin) {
        this.store = store;
        this.box = SecretBox.open(store.dir());
        this.qradar = qradar;
        this.clock = clock;
        this.settings = settings;
        this.consolePin = consolePin;
        try {
            Optional<byte[]> bytes = store.read(FILE);
            state = bytes.isPresent() ? Json.mapper().readValue(bytes.get(), State.class) : State.EMPTY;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    synchronized State state() {
        return state;
    }

    synchronized Armed armed() {
        String token = state.sealedActionToken() == null ? CustomActions.NO_TOKEN_YET
                : box.decrypt(state.sealedActionToken(), "action-token");
        String sec = state.sealedSec() == null ? NONE : box.decrypt(state.sealedSec(), KIND);
        return new Armed(token, sec, consolePin.get());
    }

    synchronized void actionToken(String token) {
        save(state.withActionToken(box.encrypt(token, "action-token")));
    }

    synchronized void armedWith(String hash) {
        save(state.withArmed(hash));
    }

    synchronized void scriptIs(String digest) {
        save(state.withScript(digest));
    }

    /**
     * Makes or replaces the authorized service when it is missing, expiring, or no longer what Settings asks for.
     * Reports what it found; a replaced service's id is kept until the custom actions carry the new token.
     */
    synchronized void ensure(List<ItemStatus> report) {
        Settings s = settings.get();
        if (s.actionServiceRoleId() == null || s.actionServiceProfileId() == null) {
            report.add(new ItemStatus(KIND, LABEL, null, "missing", "choose the user role and security profile the "
                    + "custom action calls the app with in Settings (least privilege: a role with no capabilities)"));
            return;
        }
        String why = replaceBecause(s);
        if (why == null) {
            report.add(new ItemStatus(KIND, state.label(), String.valueOf(state.serviceId()), "present", null));
            return;
        }
        create(s);
        report.add(new ItemStatus(KIND, state.label(), String.valueOf(state.serviceId()), "created", why));
    }

    /** A new service now (Settings → rotate); the old one is deleted once the actions carry the new token. */
    synchronized void rotate() {
        Settings s = settings.get();
        if (s.actionServiceRoleId() == null || s.actionServiceProfileId() == null) {
            throw new safeguard.InvalidInputException("actionServiceRoleId",
                    "choose the user role and security profile for the custom action's service first");
        }
        create(s);
    }

    private String replaceBecause(Settings s) {
        if (state.serviceId() == null) {
            return "made for the custom action";
        }
        if (!s.actionServiceRoleId().equals(state.userRoleId()) || !s.actionServiceProfileId().equals(state.securityProfileId())) {
            return "replaced: Settings chose another user role or security profile";
        }
        if (state.expiresAt() != null) {
            Instant expires = Instant.ofEpochMilli(state.expiresAt());
            Duration life = Duration.ofMillis(state.expiresAt() - state.createdAt());
            Duration margin = RENEW_BEFORE.compareTo(life.dividedBy(10)) < 0 ? RENEW_BEFORE : life.dividedBy(10);
            if (!clock.instant().plus(margin).isBefore(expires)) {
                return "replaced before it expires (" + expires + ")";
            }
        }
        return null;
    }

    private void create(Settings s) {
        Instant now = clock.instant();
        Instant expires = now.plus(Duration.ofDays(s.actionServiceDays()));
        Map<String, Object> body = new LinkedHashMap<>();
        // Labels are unique among services and users (422/95103008): the time and a random tag make each new.
        String label = LABEL + " " + DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC).format(now)
                + "-" + HexFormat.of().toHexDigits((short) java.util.concurrent.ThreadLocalRandom.current().nextInt());
        body.put("label", label);
        body.put("user_role_id", s.actionServiceRoleId());
        body.put("security_profile_id", s.actionServiceProfileId());
        body.put("expiration_date", expires.toEpochMilli());
        JsonNode made = qradar.post(SERVICES, Map.of(), body);
        String token = made.path("token").asText(null);
        if (token == null) {
            throw new QradarException(0, 0, "QRadar made the authorized service but returned no token");
        }
        Long retired = state.serviceId() != null ? state.serviceId() : state.retiredServiceId();
        save(new State(made.path("id").asLong(), made.path("label").asText(label), s.actionServiceRoleId(),
                s.actionServiceProfileId(), now.toEpochMilli(), made.path("expiration_date").asLong(expires.toEpochMilli()),
                box.encrypt(token, KIND), state.sealedActionToken(), retired, state.armed(), state.script()));
    }

    /** After every custom action carries the new token: the replaced service stops working. */
    synchronized void retireOld() {
        if (state.retiredServiceId() == null) {
            return;
        }
        try {
            qradar.delete(SERVICES + "/" + state.retiredServiceId());
        } catch (QradarException e) {
            if (!e.isNotFound()) {
                throw e;
            }
        }
        save(state.withoutRetired());
    }

    /** For the uninstall hook: the service goes with the actions. */
    synchronized void remove(List<String> removed, List<String> failed) {
        for (Long id : new Long[] {state.serviceId(), state.retiredServiceId()}) {
            if (id == null) {
                continue;
            }
            try {
                qradar.delete(SERVICES + "/" + id);
                removed.add(KIND + " " + id);
            } catch (QradarException e) {
                if (e.isNotFound()) {
                    removed.add(KIND + " " + id + " (already gone)");
                } else {
                    failed.add(KIND + " " + id + ": " + e.getMessage());
                    return;
                }
            }
        }
        save(new State(null, null, null, null, null, null, null, state.sealedActionToken(), null, null, null));
    }

    /** The service as QRadar has it now (label, role, profile, expiry, last use), or null when there is none. */
    synchronized JsonNode describe() {
        if (state.serviceId() == null) {
            return null;
        }
        return qradar.get(SERVICES + "/" + state.serviceId(), Map.of());
    }

    private void save(State next) {
        try {
            store.writeAtomically(FILE, Json.mapper().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        state = next;
    }
}
