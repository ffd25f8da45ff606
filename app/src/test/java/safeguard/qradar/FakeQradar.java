package safeguard.qradar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.QueryParameter;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import safeguard.Json;

/**
 * A stateful QRadar console API for WireMock: the content endpoints the app uses, with QRadar's shapes (JSON
 * arrays for lists, {@code filter=} queries, 409 for a used name, 404 bodies with a code), and the SEC check.
 * Fault stubs with a higher priority are layered on top by each test.
 */
public final class FakeQradar implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "fake-qradar";
    public static final String TOKEN = "a1b2c3d4-authorised-service-token";

    private final AtomicLong ids = new AtomicLong(1000);
    private final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
    public final Map<String, ObjectNode> referenceSets = new LinkedHashMap<>();
    /** Console sessions: SEC cookie value → user. Role 1 is QRadar's "Admin", role 2 an analyst's. */
    private final Map<String, ObjectNode> sessions = new LinkedHashMap<>();
    public final java.util.concurrent.atomic.AtomicInteger whoAmICalls = new java.util.concurrent.atomic.AtomicInteger();

    public FakeQradar() {
        table("/config/event_sources/log_source_management/protocol_types").add(obj("id", 0, "name", "Syslog"));
        List<ObjectNode> llc = table("/data_classification/low_level_categories");
        llc.add(obj("id", 4014, "name", "Access Permitted"));
        llc.add(obj("id", 4015, "name", "Access Denied"));
        llc.add(obj("id", 8001, "name", "Unknown System Event"));
        llc.add(obj("id", 8014, "name", "Successful File Modification"));
        llc.add(obj("id", 8028, "name", "File Created"));
        llc.add(obj("id", 8033, "name", "File Deleted"));
        List<ObjectNode> interpreters = table("/analytics/custom_actions/interpreters");
        interpreters.add(obj("id", 1, "name", "bash"));
        interpreters.add(obj("id", 2, "name", "perl"));
        interpreters.add(obj("id", 3, "name", "python"));
    }

    public List<ObjectNode> table(String path) {
        return tables.computeIfAbsent(path, p -> new ArrayList<>());
    }

    /** Content an admin made before the app arrived. */
    public ObjectNode adminCreates(String path, Object... fields) {
        ObjectNode o = obj(fields);
        o.put("id", ids.incrementAndGet());
        if (path.endsWith("regex_properties")) {
            o.put("identifier", UUID.randomUUID().toString());
        }
        table(path).add(o);
        return o;
    }

    /** Someone signed in to the console; their browser now holds {@code sec} as its SEC cookie. */
    public synchronized void signsIn(String sec, String username, boolean admin) {
        sessions.put(sec, obj("id", 100 + sessions.size(), "username", username, "user_role_id", admin ? 1 : 2));
    }

    public synchronized void signsOut(String sec) {
        sessions.remove(sec);
    }

    public ObjectNode adminCreatesReferenceSet(String name, String type, String... elements) {
        ObjectNode set = obj("name", name, "element_type", type);
        ArrayNode data = set.putArray("data");
        for (String e : elements) {
            data.addObject().put("value", e);
        }
        referenceSets.put(name, set);
        return set;
    }

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public synchronized ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        String sec = r.getHeader("SEC");
        if (r.getUrl().startsWith("/api/config/access/users?") && "true".equals(query(r, "current_user"))) {
            whoAmICalls.incrementAndGet();
            ObjectNode user = sessions.get(sec);
            return user == null ? error(401, 22, "The session is not valid.")
                    : json(200, Json.mapper().createArrayNode().add(user));
        }
        if (r.getUrl().startsWith("/api/config/access/user_roles/")) {
            if (!TOKEN.equals(sec)) {
                return error(403, 26, "You do not have the required capabilities to access this resource.");
            }
            String id = URI.create(r.getUrl()).getPath().substring("/api/config/access/user_roles/".length());
            ObjectNode role = id.equals("1") ? obj("id", 1, "name", "Admin")
                    : id.equals("2") ? obj("id", 2, "name", "Analyst") : null;
            if (role == null) {
                return error(404, 1002, "The user role does not exist.");
            }
            ArrayNode caps = role.putArray("capabilities");
            (id.equals("1") ? List.of("ADMIN", "SEM", "EventViewer") : List.of("SEM", "EventViewer")).forEach(caps::add);
            return json(200, role);
        }
        if (!TOKEN.equals(sec)) {
            return error(401, 22, "No SEC header present in request. Please provide it and try again.");
        }
        URI uri = URI.create(r.getUrl());
        String path = uri.getPath().substring("/api".length());
        String method = r.getMethod().getName();
        if (path.startsWith("/reference_data/sets")) {
            return referenceData(method, path, r);
        }
        if (path.equals("/analytics/custom_actions/scripts") && method.equals("POST")) {
            if (!"application/octet-stream".equals(r.getHeader("Content-Type")) || r.getHeader("file_name") == null) {
                return error(422, 1005, "a script is uploaded as application/octet-stream with a file_name header");
            }
            ObjectNode script = obj("file_name", r.getHeader("file_name"), "content", r.getBodyAsString());
            script.put("id", ids.incrementAndGet());
            table(path).add(script);
            return json(201, script);
        }
        if (method.equals("GET") && tables.containsKey(path)) {
            return json(200, filtered(table(path), query(r, "filter")));
        }
        if (method.equals("GET") && !tables.containsKey(path) && isCollection(path)) {
            return json(200, Json.mapper().createArrayNode());
        }
        int slash = path.lastIndexOf('/');
        String parent = path.substring(0, slash);
        if (method.equals("POST") && isCollection(path)) {
            return create(path, (ObjectNode) body(r));
        }
        if (method.equals("POST") && tables.containsKey(parent)) {
            ObjectNode found = byId(parent, path.substring(slash + 1));
            if (found == null) {
                return error(404, 1002, "The id was not found.");
            }
            found.setAll((ObjectNode) body(r));
            return json(200, found);
        }
        if (method.equals("DELETE") && tables.containsKey(parent)) {
            ObjectNode found = byId(parent, path.substring(slash + 1));
            if (found == null) {
                return error(404, 1002, "The id was not found.");
            }
            table(parent).remove(found);
            return json(202, obj("status", "QUEUED"));
        }
        return error(404, 1002, "Unknown endpoint " + method + " " + path);
    }

    private static boolean isCollection(String path) {
        return List.of("/config/event_sources/log_source_management/log_source_types",
                "/config/event_sources/custom_properties/regex_properties",
                "/config/event_sources/custom_properties/property_expressions",
                "/data_classification/qid_records",
                "/data_classification/dsm_event_mappings",
                "/analytics/custom_actions/actions").contains(path);
    }

    private ResponseDefinition create(String path, ObjectNode body) {
        boolean named = path.endsWith("log_source_types") || path.endsWith("regex_properties");
        if (named) {
            for (ObjectNode o : table(path)) {
                if (o.path("name").asText().equals(body.path("name").asText())) {
                    return error(409, 1004, "The name " + body.path("name").asText() + " is already in use.");
                }
            }
        }
        if (path.endsWith("qid_records")) {
            if (!body.has("low_level_category_id") || !body.has("severity")) {
                return error(422, 1005, "low_level_category_id and severity are required");
            }
            body.put("qid", 2_500_000 + ids.get());
        }
        if (path.endsWith("regex_properties")) {
            body.put("identifier", UUID.randomUUID().toString());
        }
        body.put("id", ids.incrementAndGet());
        table(path).add(body);
        return json(201, body);
    }

    private ResponseDefinition referenceData(String method, String path, Request r) {
        String rest = path.substring("/reference_data/sets".length());
        if (rest.startsWith("/bulk_load/") && method.equals("POST")) {
            ObjectNode set = referenceSets.get(decode(rest.substring("/bulk_load/".length())));
            if (set == null) {
                return error(404, 1002, "The reference set does not exist.");
            }
            long now = System.currentTimeMillis();
            for (JsonNode v : body(r)) {
                ((ArrayNode) set.withArray("data")).addObject().put("value", v.asText())
                        .put("source", "reference data api").put("first_seen", now).put("last_seen", now);
            }
            return json(200, set);
        }
        if (rest.isEmpty() && method.equals("POST")) {
            String name = query(r, "name");
            if (referenceSets.containsKey(name)) {
                return error(409, 1004, "The name " + name + " is already in use.");
            }
            ObjectNode set = obj("name", name, "element_type", query(r, "element_type"));
            set.putArray("data");
            referenceSets.put(name, set);
            return json(201, set);
        }
        String[] parts = rest.substring(1).split("/", 2);
        String name = decode(parts[0]);
        ObjectNode set = referenceSets.get(name);
        if (set == null) {
            return error(404, 1002, "The reference set " + name + " does not exist.");
        }
        if (parts.length == 2 && method.equals("DELETE")) {
            String value = decode(parts[1]);
            var it = set.withArray("data").elements();
            while (it.hasNext()) {
                if (it.next().path("value").asText().equals(value)) {
                    it.remove();
                    return json(200, set);
                }
            }
            return error(404, 1002, "The reference set " + name + " does not contain " + value + ".");
        }
        if (method.equals("DELETE")) {
            referenceSets.remove(name);
            return json(202, obj("status", "QUEUED"));
        }
        return json(200, set);
    }

    private ObjectNode byId(String table, String id) {
        for (ObjectNode o : table(table)) {
            if (o.path("id").asText().equals(id)) {
                return o;
            }
        }
        return null;
    }

    /** QRadar's filter syntax, as far as the app uses it: {@code a=1 and b="x"}. */
    static ArrayNode filtered(List<ObjectNode> rows, String filter) {
        ArrayNode out = Json.mapper().createArrayNode();
        for (ObjectNode row : rows) {
            boolean ok = true;
            if (filter != null) {
                for (String clause : filter.split(" and ")) {
                    String[] kv = clause.split("=", 2);
                    String want = kv[1].startsWith("\"") ? kv[1].substring(1, kv[1].length() - 1).replace("\\\"", "\"") : kv[1];
                    ok &= row.path(kv[0].trim()).asText().equals(want);
                }
            }
            if (ok) {
                out.add(row.deepCopy());
            }
        }
        return out;
    }

    private static String query(Request r, String name) {
        QueryParameter q = r.queryParameter(name);
        return q == null || !q.isPresent() ? null : q.firstValue();
    }

    private static JsonNode body(Request r) {
        try {
            return Json.mapper().readTree(r.getBodyAsString());
        } catch (Exception e) {
            throw new IllegalArgumentException("request body is not JSON: " + r.getBodyAsString(), e);
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    static ObjectNode obj(Object... kv) {
        ObjectNode o = Json.mapper().createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], Json.mapper().valueToTree(kv[i + 1]));
        }
        return o;
    }

    static ResponseDefinition json(int status, JsonNode body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.toString()).build();
    }

    public static ResponseDefinition error(int status, int code, String message) {
        ObjectNode e = obj("code", code, "message", message, "description", message);
        e.set("http_response", obj("code", status, "message", "error"));
        return json(status, e);
    }
}
