package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import safeguard.Json;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;

/** API versions, the events database's columns, users and roles. */
final class AccessPages {
    /** Built-in columns of the events database that custom actions commonly name (ariel-databases-database_name-GET). */
    static final List<String> EVENT_COLUMNS = List.of("qid", "sourceip", "destinationip", "sourceport",
            "destinationport", "username", "starttime", "endtime", "devicetime", "logsourceid", "category",
            "eventcount", "magnitude", "payload", "protocolid", "highlevelcategory", "eventdirection");

    private final FakeConsole c;

    AccessPages(FakeConsole console) {
        this.c = console;
        ObjectNode admin = obj("id", 1, "name", "Admin");
        admin.putArray("capabilities").add(obj("name", "ADMIN"));
        c.rows(ROLES).add(admin);
        ObjectNode analyst = obj("id", 2, "name", "Analyst");
        analyst.putArray("capabilities").add(obj("name", "SEM")).add(obj("name", "EventViewer"));
        c.rows(ROLES).add(analyst);
        ObjectNode caller = obj("id", 3, "name", "Safeguard custom action");
        caller.putArray("capabilities");
        c.rows(ROLES).add(caller);
        c.rows(PROFILES).add(obj("id", 1, "name", "Admin"));
        c.rows(PROFILES).add(obj("id", 4, "name", "No data"));
    }

    /** Built-in columns plus every custom event property: QRadar searches them by name. */
    static Set<String> eventColumns(FakeConsole c) {
        Set<String> all = new LinkedHashSet<>(EVENT_COLUMNS);
        c.rows(ContentPages.PROPS).forEach(p -> all.add(p.path("name").asText()));
        return all;
    }

    void register(Map<String, Page> pages) {
        pages.put("GET /help/versions", call -> c.list(call, c.versions));
        pages.put("GET /ariel/databases/{database_name}", this::columns);
        pages.put("GET /config/access/users", this::users);
        pages.put("GET /config/access/user_roles/{id}", this::role);
        pages.put("GET /config/access/user_roles", call -> c.list(call, c.rows(ROLES)));
        pages.put("GET /config/access/security_profiles", call -> c.list(call, c.rows(PROFILES)));
        pages.put("POST " + SERVICES, this::createService);
        pages.put("GET " + SERVICES, call -> c.list(call, c.rows(SERVICES)));
        pages.put("GET " + SERVICES + "/{id}", call -> {
            ObjectNode s = c.byId(SERVICES, call.var("id"));
            return s == null ? error(404, 95101001, "The authorized service ID does not exist.") : c.one(call, s);
        });
        pages.put("DELETE " + SERVICES + "/{id}", this::deleteService);
    }

    static final String ROLES = "/config/access/user_roles";
    static final String PROFILES = "/config/access/security_profiles";
    static final String SERVICES = "/config/access/authorized_services";

    // authorized_services-POST: label, user_role_id and security_profile_id must be given (422/95103001, 004,
    // 002) and reference deployed ones (005, 003); the label is unique (008); an expiry in the past is refused
    // (013). The token is in this answer only.
    private ResponseDefinition createService(Call call) {
        var b = call.body();
        if (c.byId(ROLES, b.path("user_role_id").asText()) == null) {
            throw c.refuse(call, "user_role_id names no deployed role", 422, 95103005,
                    "The user_role_id provided must reference a deployed user role.");
        }
        if (c.byId(PROFILES, b.path("security_profile_id").asText()) == null) {
            throw c.refuse(call, "security_profile_id names no deployed profile", 422, 95103003,
                    "The security_profile_id provided must reference a deployed security profile.");
        }
        if (b.hasNonNull("expiration_date") && b.get("expiration_date").asLong() <= System.currentTimeMillis()) {
            throw c.refuse(call, "expiration_date in the past", 422, 95103013, "The expiration_date must be set to a time in the future.");
        }
        for (ObjectNode s : c.rows(SERVICES)) {
            if (s.path("label").asText().equals(b.path("label").asText())) {
                return error(422, 95103008, "The authorized service label must be unique for all authorized services and usernames.");
            }
        }
        String token = java.util.UUID.randomUUID().toString();
        ObjectNode s = obj("id", c.ids.incrementAndGet(), "label", b.path("label").asText(), "created_by", "API_token: safeguard",
                "user_role_id", b.path("user_role_id").asLong(), "security_profile_id", b.path("security_profile_id").asLong(),
                "creation_date", System.currentTimeMillis(), "_token", token);
        s.putNull("tenant_id");
        s.putNull("last_used_date");
        if (b.hasNonNull("expiration_date")) {
            s.put("expiration_date", b.get("expiration_date").asLong());
        } else {
            s.putNull("expiration_date");
        }
        c.rows(SERVICES).add(s);
        c.validTokens.add(token);
        ObjectNode answer = FakeConsole.visible(s);
        answer.put("token", token);
        return json(201, answer);
    }

    // authorized_services-id-DELETE: text/plain; 404/95105001; the token stops working.
    private ResponseDefinition deleteService(Call call) {
        ObjectNode s = c.byId(SERVICES, call.var("id"));
        if (s == null) {
            return error(404, 95105001, "The authorized service ID does not exist.");
        }
        c.rows(SERVICES).remove(s);
        c.validTokens.remove(s.path("_token").asText());
        return FakeConsole.noContent();
    }

    private ResponseDefinition columns(Call call) {
        if (!call.var("database_name").equals("events")) {
            return error(404, 1002, "The database does not exist.");
        }
        ObjectNode db = Json.mapper().createObjectNode();
        ArrayNode cols = db.putArray("columns");
        for (String name : eventColumns(c)) {
            cols.add(obj("name", name, "argument_type", "STRING", "indexable", false, "nullable", true,
                    "object_value_type", "String", "provider_name", "ariel"));
        }
        return json(200, db);
    }

    // users-GET: current_user=true answers the caller's own user (a one-element list).
    private ResponseDefinition users(Call call) {
        String sec = call.request().getHeader("SEC");
        if ("true".equals(call.query("current_user"))) {
            ObjectNode user = c.sessions.get(sec);
            ArrayNode out = Json.mapper().createArrayNode();
            if (user != null) {
                out.add(FakeConsole.project(user.deepCopy(), call.query("fields")));
            }
            return json(200, out);
        }
        return c.list(call, c.sessions.values().stream().toList());
    }

    // user_roles-id-GET: capabilities[{name}]; reading roles needs administrator rights.
    private ResponseDefinition role(Call call) {
        if (!c.validTokens.contains(call.request().getHeader("SEC"))) {
            return error(403, 26, "You do not have the required capabilities to access this resource.");
        }
        String id = call.var("id");
        ObjectNode role = id.equals("1") ? obj("id", 1, "name", "Admin") : id.equals("2") ? obj("id", 2, "name", "Analyst") : null;
        if (role == null) {
            return error(404, 38341001, "The user role id does not exist.");
        }
        ArrayNode caps = role.putArray("capabilities");
        for (String cap : id.equals("1") ? List.of("ADMIN", "SEM", "EventViewer") : List.of("SEM", "EventViewer")) {
            caps.add(obj("name", cap));
        }
        return c.one(call, role);
    }
}
