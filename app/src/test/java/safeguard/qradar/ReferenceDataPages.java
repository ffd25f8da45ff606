package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;

/**
 * Reference sets through {@code /reference_data/sets} (deprecated in 26.0 but documented and answering). A set is
 * created in the SHARED namespace; its elements are read in slices chosen with {@code Range}.
 */
final class ReferenceDataPages {
    static final String SETS = "/reference_data/sets";
    static final String TASKS = "/system/task_management/tasks";
    /** reference_data-sets-POST: element_type "one of: ALN, NUM, IP, PORT, ALNIC, DATE, CIDR". */
    private static final Set<String> TYPES = Set.of("ALN", "NUM", "IP", "PORT", "ALNIC", "DATE", "CIDR");
    /**
     * reference_data-sets-name-GET: "The portion of the set's data returned is dependent on the limit and offset
     * specified": without a Range only a first slice comes back. The page gives no size; the fake uses 50.
     */
    static final int DEFAULT_SLICE = 50;

    private final FakeConsole c;

    ReferenceDataPages(FakeConsole console) {
        this.c = console;
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + SETS, call -> c.list(call, new ArrayList<>(c.referenceSets.values().stream()
                .map(ReferenceDataPages::summary).toList())));
        pages.put("POST " + SETS, this::create);
        pages.put("GET " + SETS + "/{name}", this::read);
        pages.put("POST " + SETS + "/{name}", this::addOne);
        pages.put("DELETE " + SETS + "/{name}", this::delete);
        pages.put("DELETE " + SETS + "/{name}/{value}", this::removeValue);
        pages.put("POST " + SETS + "/bulk_load/{namespace}/{name}/{domain_id}", this::bulkLoad);
        pages.put("GET " + TASKS + "/{status_id}", this::task);
    }

    static ObjectNode newSet(String name, String type, long id) {
        ObjectNode set = obj("collection_id", id, "name", name, "element_type", type, "namespace", "SHARED",
                "timeout_type", "UNKNOWN", "number_of_elements", 0, "creation_time", System.currentTimeMillis());
        set.putArray("data");
        return set;
    }

    static void addValue(ObjectNode set, String value, String source) {
        long now = System.currentTimeMillis();
        for (JsonNode e : set.withArray("data")) {
            if (e.path("value").asText().equals(value)) {
                ((ObjectNode) e).put("last_seen", now);
                return;
            }
        }
        set.withArray("data").addObject().put("value", value).put("source", source).put("first_seen", now)
                .put("last_seen", now).put("domain_id", 0);
        set.put("number_of_elements", set.withArray("data").size());
    }

    private static ObjectNode summary(ObjectNode set) {
        ObjectNode s = set.deepCopy();
        s.remove("data");
        return s;
    }

    // reference_data-sets-POST: name and element_type are query parameters; 409/1004 for a taken name;
    // 422/1005 for an invalid parameter.
    private ResponseDefinition create(Call call) {
        String name = call.query("name");
        String type = call.query("element_type");
        if (!TYPES.contains(type)) {
            throw c.refuse(call, "element_type '" + type + "' is not one of " + TYPES, 422, 1005, "A request parameter is not valid");
        }
        if (c.referenceSets.containsKey(name)) {
            return error(409, 1004, "The reference set could not be created, the name provided is already in use.");
        }
        ObjectNode set = newSet(name, type, c.ids.incrementAndGet());
        if (call.query("timeout_type") != null) {
            set.put("timeout_type", call.query("timeout_type"));
        }
        if (call.query("time_to_live") != null) {
            set.put("time_to_live", call.query("time_to_live"));
        }
        c.referenceSets.put(name, set);
        return json(201, summary(set));
    }

    private ObjectNode set(Call call) {
        return c.referenceSets.get(call.var("name"));
    }

    private static ResponseDefinition noSet() {
        return error(404, 1002, "The reference set does not exist.");
    }

    private ResponseDefinition read(Call call) {
        ObjectNode set = set(call);
        if (set == null) {
            return noSet();
        }
        ObjectNode out = set.deepCopy();
        ArrayNode all = (ArrayNode) set.get("data");
        int[] range = call.request().getHeader("Range") == null ? new int[] {0, DEFAULT_SLICE - 1} : c.range(call, all.size());
        ArrayNode slice = out.putArray("data");
        for (int i = range[0]; i <= range[1] && i < all.size(); i++) {
            slice.add(all.get(i).deepCopy());
        }
        return c.one(call, out);
    }

    private ResponseDefinition addOne(Call call) {
        ObjectNode set = set(call);
        if (set == null) {
            return noSet();
        }
        checkValue(call, set, call.query("value"));
        addValue(set, call.query("value"), call.query("source") == null ? "reference data api" : call.query("source"));
        return json(200, summary(set));
    }

    private void checkValue(Call call, ObjectNode set, String value) {
        if (set.path("element_type").asText().equals("NUM")) {
            try {
                Double.parseDouble(value);
            } catch (NumberFormatException e) {
                throw c.refuse(call, "'" + value + "' is not a NUM value", 422, 1005, "A request parameter is not valid");
            }
        }
    }

    // reference_data-sets-name-DELETE: 202 and a task status read at /api/system/task_management/tasks/{status_id}
    // (also in the Location header); the set is gone when the task completes.
    private ResponseDefinition delete(Call call) {
        ObjectNode set = set(call);
        if (set == null) {
            return noSet();
        }
        String name = call.var("name");
        ObjectNode t = c.task("Delete reference set " + name, () -> c.referenceSets.remove(name), false, null);
        return new ResponseDefinitionBuilder().withStatus(202).withHeader("Content-Type", "application/json")
                .withHeader("Location", "/api" + TASKS + "/" + t.path("id").asText())
                .withBody(FakeConsole.visible(t).toString()).build();
    }

    private ResponseDefinition task(Call call) {
        ObjectNode t = c.tasks.get(Long.valueOf(call.var("status_id")));
        return t == null ? error(404, 1002, "The task does not exist.") : c.one(call, c.advance(t));
    }

    // reference_data-sets-name-value-DELETE: 404/1003 when the value is not in the set.
    private ResponseDefinition removeValue(Call call) {
        ObjectNode set = set(call);
        if (set == null) {
            return noSet();
        }
        Iterator<JsonNode> it = set.withArray("data").elements();
        while (it.hasNext()) {
            if (it.next().path("value").asText().equals(call.var("value"))) {
                it.remove();
                set.put("number_of_elements", set.withArray("data").size());
                return json(200, summary(set));
            }
        }
        return error(404, 1003, "The record does not exist in the reference set");
    }

    // reference_data-sets-bulk_load-namespace-name-domain_id-POST: namespace SHARED or TENANT (422/1015); the set's
    // own namespace expected (422/1012); domain_id a domain or SHARED (404/1011); body a JSON array of values.
    private ResponseDefinition bulkLoad(Call call) {
        String namespace = call.var("namespace");
        if (!namespace.equals("SHARED") && !namespace.equals("TENANT")) {
            throw c.refuse(call, "namespace must be SHARED or TENANT", 422, 1015,
                    "The namespace parameter must be either SHARED or TENANT");
        }
        ObjectNode set = set(call);
        if (set == null) {
            return noSet();
        }
        if (!namespace.equals(set.path("namespace").asText())) {
            throw c.refuse(call, "the set is in namespace " + set.path("namespace").asText(), 422, 1012,
                    "The namespace value of SHARED was expected");
        }
        String domain = call.var("domain_id");
        if (!domain.equals("SHARED") && !domain.equals("0")) {
            return error(404, 1011, "Domain not found");
        }
        List<String> values = new ArrayList<>();
        for (JsonNode v : call.body()) {
            if (!v.isTextual() && !v.isNumber()) {
                throw c.refuse(call, "bulk load values must be strings", 400, 1001, "An error occurred parsing the JSON body");
            }
            checkValue(call, set, v.asText());
            values.add(v.asText());
        }
        values.forEach(v -> addValue(set, v, "reference data api"));
        return json(200, summary(set));
    }
}
