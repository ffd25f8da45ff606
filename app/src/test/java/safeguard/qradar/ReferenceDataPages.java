package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;
import safeguard.qradar.ReferenceStore.RefSet;

/**
 * Reference sets through the legacy {@code /reference_data/sets} (every page DEPRECATED in 26.0; the console still
 * answers, and {@link FakeConsole} records any call made at a version that has their successor, the collections
 * API, as a violation). Same state as {@link ReferenceCollectionPages}. A set's elements come in slices chosen with
 * {@code Range}.
 */
final class ReferenceDataPages {
    static final String SETS = "/reference_data/sets";
    static final String TASKS = "/system/task_management/tasks";
    /**
     * reference_data-sets-name-GET: "The portion of the set's data returned is dependent on the limit and offset
     * specified": without a Range only a first slice comes back. The page gives no size; the fake uses 50.
     */
    static final int DEFAULT_SLICE = 50;

    private final FakeConsole c;
    private final ReferenceStore store;

    ReferenceDataPages(FakeConsole console, ReferenceStore store) {
        this.c = console;
        this.store = store;
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + SETS, call -> c.list(call, new ArrayList<>(store.byName.values().stream()
                .map(RefSet::legacy).toList())));
        pages.put("POST " + SETS, this::create);
        pages.put("GET " + SETS + "/{name}", this::read);
        pages.put("POST " + SETS + "/{name}", this::addOne);
        pages.put("DELETE " + SETS + "/{name}", this::delete);
        pages.put("DELETE " + SETS + "/{name}/{value}", this::removeValue);
        pages.put("POST " + SETS + "/bulk_load/{namespace}/{name}/{domain_id}", this::bulkLoad);
        pages.put("POST " + SETS + "/bulk_load/{name}", this::bulkLoadByName);
        pages.put("GET " + TASKS + "/{status_id}", this::task);
    }

    // reference_data-sets-POST: name and element_type are query parameters; 409/1004 for a taken name;
    // 422/1005 for an invalid parameter.
    private ResponseDefinition create(Call call) {
        String name = call.query("name");
        String type = call.query("element_type");
        if (!ReferenceStore.TYPES.contains(type)) {
            throw c.refuse(call, "element_type '" + type + "' is not one of " + ReferenceStore.TYPES, 422, 1005,
                    "A request parameter is not valid");
        }
        if (store.byName.containsKey(name)) {
            return error(409, 1004, "The reference set could not be created, the name provided is already in use.");
        }
        RefSet set = store.create(name, type);
        if (call.query("timeout_type") != null && !call.query("timeout_type").equals("UNKNOWN")) {
            set.expiryType = call.query("timeout_type");
        }
        set.legacyTimeToLive = call.query("time_to_live");
        return json(201, set.legacy());
    }

    private RefSet set(Call call) {
        return store.byName.get(call.var("name"));
    }

    private static ResponseDefinition noSet() {
        return error(404, 1002, "The reference set does not exist.");
    }

    private ResponseDefinition read(Call call) {
        RefSet set = set(call);
        if (set == null) {
            return noSet();
        }
        List<ReferenceStore.Entry> all = set.inOrder();
        int[] range = call.request().getHeader("Range") == null ? new int[] {0, DEFAULT_SLICE - 1} : c.range(call, all.size());
        ObjectNode out = set.legacy();
        ArrayNode slice = out.putArray("data");
        for (int i = range[0]; i <= range[1] && i < all.size(); i++) {
            ReferenceStore.Entry e = all.get(i);
            slice.addObject().put("value", e.value).put("source", e.source).put("first_seen", e.firstSeen)
                    .put("last_seen", e.lastSeen).put("domain_id", 0);
        }
        return c.one(call, out);
    }

    private ResponseDefinition addOne(Call call) {
        RefSet set = set(call);
        if (set == null) {
            return noSet();
        }
        checkValue(call, set, call.query("value"));
        store.put(set, call.query("value"), call.query("source") == null ? "reference data api" : call.query("source"));
        return json(200, set.legacy());
    }

    private void checkValue(Call call, RefSet set, String value) {
        String misfit = ReferenceStore.misfit(set.type, value);
        if (misfit != null) {
            throw c.refuse(call, misfit, 422, 1005, "A request parameter is not valid");
        }
    }

    // reference_data-sets-name-DELETE: 202 and a task status read at /api/system/task_management/tasks/{status_id}
    // (also in the Location header); the set is gone when the task completes.
    private ResponseDefinition delete(Call call) {
        RefSet set = set(call);
        if (set == null) {
            return noSet();
        }
        ObjectNode t = c.task("Delete reference set " + set.name, () -> store.delete(set), false, null);
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
        RefSet set = set(call);
        if (set == null) {
            return noSet();
        }
        if (store.remove(set, call.var("value"))) {
            return json(200, set.legacy());
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
        RefSet set = set(call);
        if (set == null) {
            return noSet();
        }
        if (!namespace.equals(set.namespace)) {
            throw c.refuse(call, "the set is in namespace " + set.namespace, 422, 1012,
                    "The namespace value of SHARED was expected");
        }
        String domain = call.var("domain_id");
        if (!domain.equals("SHARED") && !domain.equals("0")) {
            return error(404, 1011, "Domain not found");
        }
        return load(call, set);
    }

    // 16.0's reference_data-sets-bulk_load-name-POST (replaced by the namespaced form in 17.0): body a JSON array.
    private ResponseDefinition bulkLoadByName(Call call) {
        RefSet set = set(call);
        return set == null ? noSet() : load(call, set);
    }

    private ResponseDefinition load(Call call, RefSet set) {
        List<String> values = new ArrayList<>();
        for (JsonNode v : call.body()) {
            if (!v.isTextual() && !v.isNumber()) {
                throw c.refuse(call, "bulk load values must be strings", 400, 1001, "An error occurred parsing the JSON body");
            }
            checkValue(call, set, v.asText());
            values.add(v.asText());
        }
        values.forEach(v -> store.put(set, v, "reference data api"));
        return json(200, set.legacy());
    }
}
