package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import safeguard.Json;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;
import safeguard.qradar.ReferenceStore.Entry;
import safeguard.qradar.ReferenceStore.RefSet;

/**
 * Reference sets through {@code /reference_data_collections/*} as the 26.0 pages document them: sets and entries
 * addressed by id; creating a set takes a JSON Set DTO (409/10006 for a taken name, 422/10001-10007); an entry is
 * created (201) or refreshed (200) by POST, removed by id (204, 404/22001); deleting a set and the bulk update
 * PATCH are asynchronous (202 and a task whose status is read at set_delete_tasks / set_bulk_update_tasks; the
 * bulk update's per-entry outcome at .../results once it ended).
 */
final class ReferenceCollectionPages {
    static final String BASE = "/reference_data_collections";
    private static final Pattern COLLECTION = Pattern.compile("^\\s*collection_id\\s*=\\s*(\\d+)\\s*(?:and\\b|$)");
    private static final Pattern VALUE = Pattern.compile("\\bvalue\\s*=\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

    private final FakeConsole c;
    private final ReferenceStore store;
    /** Bulk update task id → its results (reference_data_collections-set_bulk_update_tasks-...-results-GET). */
    private final Map<Long, ObjectNode> results = new HashMap<>();

    ReferenceCollectionPages(FakeConsole console, ReferenceStore store) {
        this.c = console;
        this.store = store;
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + BASE + "/sets", call -> c.list(call, new ArrayList<>(store.byName.values().stream()
                .map(RefSet::collection).toList())));
        pages.put("POST " + BASE + "/sets", this::create);
        pages.put("GET " + BASE + "/sets/{id}", this::readSet);
        pages.put("DELETE " + BASE + "/sets/{id}", this::deleteSet);
        pages.put("GET " + BASE + "/set_delete_tasks/{task_status_id}", call -> task(call, 12003));
        pages.put("GET " + BASE + "/set_entries", this::entries);
        pages.put("POST " + BASE + "/set_entries", this::createEntry);
        pages.put("PATCH " + BASE + "/set_entries", this::bulkUpdate);
        pages.put("GET " + BASE + "/set_entries/{id}", this::readEntry);
        pages.put("DELETE " + BASE + "/set_entries/{id}", this::deleteEntry);
        pages.put("GET " + BASE + "/set_bulk_update_tasks/{task_status_id}", call -> task(call, 23001));
        pages.put("GET " + BASE + "/set_bulk_update_tasks/{task_status_id}/results", this::bulkResults);
    }

    // sets-POST: "Both name and entry_type are required" (422/10002, 422/10001); a taken name 409/10006; TENANT
    // without tenant_id 422/10003; tenant_id in SHARED or PRIVATE 422/10004; an invalid time_to_live 422/10007.
    private ResponseDefinition create(Call call) {
        JsonNode b = call.body();
        if (!b.hasNonNull("name")) {
            throw c.refuse(call, "name missing", 422, 10002, "The name field was not specified");
        }
        if (!b.hasNonNull("entry_type")) {
            throw c.refuse(call, "entry_type missing", 422, 10001, "The entry_type field was not specified.");
        }
        String type = b.get("entry_type").asText();
        if (!ReferenceStore.TYPES.contains(type)) {
            throw c.refuse(call, "entry_type '" + type + "' is not one of " + ReferenceStore.TYPES, 422, 1021, "null");
        }
        String namespace = b.path("namespace").asText("SHARED");
        if (!Set.of("PRIVATE", "SHARED", "TENANT").contains(namespace)) {
            throw c.refuse(call, "namespace '" + namespace + "'", 422, 1021, "null");
        }
        if (namespace.equals("TENANT") && !b.hasNonNull("tenant_id")) {
            throw c.refuse(call, "TENANT without tenant_id", 422, 10003,
                    "The TENANT namespace was specified but a valid tenant ID is required");
        }
        if (!namespace.equals("TENANT") && b.hasNonNull("tenant_id")) {
            throw c.refuse(call, "tenant_id outside TENANT", 422, 10004,
                    "SHARED or PRIVATE namespace does not permit tenant_id to be specified");
        }
        String expiry = b.path("expiry_type").asText("NO_EXPIRY");
        if (!Set.of("FIRST_SEEN", "LAST_SEEN", "NO_EXPIRY").contains(expiry)) {
            throw c.refuse(call, "expiry_type '" + expiry + "'", 422, 1021, "null");
        }
        boolean ttl = b.hasNonNull("time_to_live");
        if (ttl && (!b.get("time_to_live").canConvertToLong() || b.get("time_to_live").asLong() <= 0
                || expiry.equals("NO_EXPIRY")) || (!ttl && !expiry.equals("NO_EXPIRY"))) {
            throw c.refuse(call, "time_to_live " + b.path("time_to_live") + " with expiry_type " + expiry, 422, 10007,
                    "An invalid time_to_live value was specified");
        }
        if (store.byName.containsKey(b.get("name").asText())) {
            return error(409, 10006, "A collection with the same name already exists");
        }
        RefSet s = store.create(b.get("name").asText(), type);
        s.namespace = namespace;
        s.expiryType = expiry;
        s.timeToLive = ttl ? b.get("time_to_live").asLong() : null;
        s.description = b.hasNonNull("description") ? b.get("description").asText() : null;
        return json(201, FakeConsole.project(s.collection(), call.request().getHeader("fields")));
    }

    private RefSet byId(String id) {
        try {
            return store.byId.get(Long.valueOf(id));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    // sets-id-GET: 404/15000.
    private ResponseDefinition readSet(Call call) {
        RefSet s = byId(call.var("id"));
        return s == null ? error(404, 15000, "The reference set does not exist.") : c.one(call, s.collection());
    }

    // sets-id-DELETE: 202 and the task status; 404/12000; the task's status at set_delete_tasks/{task_status_id}.
    private ResponseDefinition deleteSet(Call call) {
        RefSet s = byId(call.var("id"));
        if (s == null) {
            return error(404, 12000, "The reference set does not exist.");
        }
        ObjectNode t = c.task("Delete Set " + s.name, () -> store.delete(s), false, null);
        return json(202, FakeConsole.visible(t));
    }

    private ResponseDefinition task(Call call, int notFound) {
        ObjectNode t = c.tasks.get(parse(call.var("task_status_id")));
        return t == null ? error(404, notFound, "The task does not exist") : c.one(call, c.advance(t));
    }

    private static Long parse(String id) {
        try {
            return Long.valueOf(id);
        } catch (NumberFormatException e) {
            return -1L;
        }
    }

    // set_entries-GET: entry_type one of the types (422/24003) applied first; sort, filter, fields, Range.
    private ResponseDefinition entries(Call call) {
        String type = call.query("entry_type");
        if (type != null && !ReferenceStore.TYPES.contains(type)) {
            throw c.refuse(call, "entry_type '" + type + "'", 422, 24003, "Unexpected value for the entry type parameter");
        }
        String filter = call.query("filter") == null ? "" : call.query("filter");
        QradarFilter rest = QradarFilter.parse(filter);
        if (rest == null) {
            throw c.refuse(call, "filter is not QRadar filter syntax: " + filter, 422, 24001, "A filter criterion was not valid");
        }
        List<Entry> candidates;
        Matcher m = COLLECTION.matcher(filter);
        Matcher v = VALUE.matcher(filter);
        if (m.find() && v.find()) {
            // One value of one set: the console's index (type-aware with entry_type), not a scan.
            RefSet s = store.byId.get(Long.valueOf(m.group(1)));
            String value = v.group(1).replace("\\\"", "\"").replace("\\\\", "\\");
            Entry e = s == null ? null : s.entries.get(ReferenceStore.canonical(type == null ? "ALN" : s.type, value));
            candidates = e == null ? List.of() : List.of(e);
        } else if (m.reset().find()) {
            RefSet s = store.byId.get(Long.valueOf(m.group(1)));
            candidates = s == null ? List.of() : (isSortByValue(call) ? s.byValue() : s.inOrder());
        } else {
            candidates = new ArrayList<>(store.entries.values());
            candidates.sort(java.util.Comparator.comparingLong(e -> e.id));
        }
        String sort = call.query("sort");
        if (sort != null && !isSortByValue(call) && !sort.matches("[+-]?id")) {
            throw c.refuse(call, "sort '" + sort + "'", 422, 24002, "A parameter was not valid");
        }
        boolean onlyCollection = filter.isBlank() || filter.strip().matches("collection_id\\s*=\\s*\\d+");
        List<Entry> matched = new ArrayList<>();
        for (Entry e : candidates) {
            if ((type == null || e.set.type.equals(type)) && (onlyCollection || matches(rest, e))) {
                matched.add(e);
            }
        }
        if (sort != null && sort.startsWith("-")) {
            java.util.Collections.reverse(matched);
        }
        int[] range = c.range(call, matched.size());
        ArrayNode out = Json.mapper().createArrayNode();
        for (int i = range[0]; i <= range[1] && i < matched.size(); i++) {
            out.add(FakeConsole.project(matched.get(i).json(), call.query("fields")));
        }
        var b = FakeConsole.builder(200, out);
        if (call.request().getHeader("Range") != null) {
            b.withHeader("Content-Range", "items " + range[0] + "-" + Math.min(range[1], matched.size() - 1) + "/"
                    + matched.size());
        }
        return b.build();
    }

    private static boolean isSortByValue(Call call) {
        return call.query("sort") != null && call.query("sort").matches("[+-]?value");
    }

    /** A value clause compares as the set's type does when entry_type is given (2001 = 2001.0 for NUM). */
    private static boolean matches(QradarFilter filter, Entry e) {
        ObjectNode row = e.json();
        row.put("value", ReferenceStore.canonical(e.set.type, e.value));
        return filter.matches(row) || filter.matches(e.json());
    }

    // set_entries-POST: 422/20001 no body, 20002 no collection id, 20003 no value, 20004 no such set, 20006 a value
    // that does not fit the entry type, 20009 an invalid CIDR; 201 and the new entry, 200 when it was updated.
    private ResponseDefinition createEntry(Call call) {
        JsonNode b = call.body();
        ObjectNode problem = check(b);
        if (problem != null) {
            throw c.refuse(call, problem.get("message").asText(), 422, problem.get("code").asInt(), problem.get("message").asText());
        }
        RefSet s = store.byId.get(b.get("collection_id").asLong());
        boolean created = store.put(s, b.get("value").asText(), b.path("source").asText("reference data api"));
        return json(created ? 201 : 200, s.entries.get(ReferenceStore.canonical(s.type, b.get("value").asText())).json());
    }

    /** Null when the entry fits, else {code, message} as set_entries-POST documents it. */
    private ObjectNode check(JsonNode b) {
        if (b == null || !b.isObject()) {
            return obj("code", 20001, "message", "The entry body parameter was not specified");
        }
        if (!b.hasNonNull("collection_id")) {
            return obj("code", 20002, "message", "The Set ID was not specified in the body parameter");
        }
        if (!b.hasNonNull("value")) {
            return obj("code", 20003, "message", "The value was not specified");
        }
        RefSet s = store.byId.get(b.get("collection_id").asLong());
        if (s == null) {
            return obj("code", 20004, "message", "A Set with the specified ID was not found");
        }
        String misfit = ReferenceStore.misfit(s.type, b.get("value").asText());
        if (misfit != null) {
            return obj("code", s.type.equals("CIDR") ? 20009 : 20006, "message", misfit);
        }
        return null;
    }

    // set_entries-PATCH: a JSON array of Set Entry DTOs, adds and updates (delete_entry: true removes); 202 and a
    // bulk update task; 422/23000 an unknown collection id, 422/23002 an invalid parameter. Applied when the task
    // completes; per-entry outcome (201 added, 200 updated or deleted, else the set_entries-POST code) in results.
    private ResponseDefinition bulkUpdate(Call call) {
        List<JsonNode> items = new ArrayList<>();
        for (JsonNode e : call.body()) {
            if (!e.isObject() || !e.hasNonNull("collection_id") || !e.hasNonNull("value")) {
                throw c.refuse(call, "each entry needs collection_id and value", 422, 23002, "A parameter is invalid");
            }
            if (!store.byId.containsKey(e.get("collection_id").asLong())) {
                throw c.refuse(call, "collection " + e.get("collection_id") + " not found", 422, 23000,
                        "The collection id was not found");
            }
            items.add(e);
        }
        ObjectNode[] t = new ObjectNode[1];
        t[0] = c.task("Bulk Update", () -> results.put(t[0].path("id").asLong(), apply(items)), false, null);
        t[0].remove("message");
        t[0].putNull("error_code");
        t[0].putNull("error_message");
        return json(202, FakeConsole.visible(t[0]));
    }

    private ObjectNode apply(List<JsonNode> items) {
        ObjectNode r = obj("id", c.ids.incrementAndGet());
        ArrayNode responses = r.putArray("responses");
        int ok = 0;
        for (JsonNode e : items) {
            RefSet s = store.byId.get(e.get("collection_id").asLong());
            ObjectNode problem = s == null ? obj("code", 20004, "message", "A Set with the specified ID was not found") : check(e);
            if (problem != null) {
                responses.add(obj("http_status", 422, "unique_code", problem.get("code").asInt(),
                        "message", problem.get("message").asText()));
                continue;
            }
            int status;
            if (e.path("delete_entry").asBoolean(false)) {
                store.remove(s, e.get("value").asText());
                status = 200;
            } else {
                status = store.put(s, e.get("value").asText(), e.path("source").asText("reference data api")) ? 201 : 200;
            }
            responses.add(obj("http_status", status, "unique_code", null, "message", status == 201 ? "created" : "updated"));
            ok++;
        }
        r.put("total_responses", items.size()).put("successful_responses", ok).put("status",
                ok == items.size() ? "COMPLETE_UPDATE_PERFORMED" : ok == 0 ? "UPDATE_ABORTED" : "PARTIAL_UPDATE_PERFORMED");
        return r;
    }

    // set_bulk_update_tasks-task_status_id-results-GET: 404/23001 no such task, 404/23003 results not available.
    private ResponseDefinition bulkResults(Call call) {
        Long id = parse(call.var("task_status_id"));
        if (!c.tasks.containsKey(id)) {
            return error(404, 23001, "The task_status_id does not exist");
        }
        ObjectNode r = results.get(id);
        return r == null ? error(404, 23003, "The results are not available") : c.one(call, r);
    }

    private ResponseDefinition readEntry(Call call) {
        Entry e = store.entries.get(parse(call.var("id")));
        return e == null ? error(404, 22001, "The entry was not found") : c.one(call, e.json());
    }

    // set_entries-id-DELETE: 204 (MIME text/plain); 404/22001 when the entry does not exist.
    private ResponseDefinition deleteEntry(Call call) {
        Entry e = store.entries.get(parse(call.var("id")));
        if (e == null) {
            return error(404, 22001, "The entry was not found");
        }
        store.remove(e.set, e.value);
        return FakeConsole.noContent();
    }
}
