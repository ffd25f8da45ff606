package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;

/** Log source types, log sources, custom properties and their expressions, QID records and DSM event mappings. */
final class ContentPages {
    static final String LST = "/config/event_sources/log_source_management/log_source_types";
    static final String PROTOCOLS = "/config/event_sources/log_source_management/protocol_types";
    static final String LOG_SOURCES = "/config/event_sources/log_source_management/log_sources";
    static final String PROPS = "/config/event_sources/custom_properties/regex_properties";
    static final String PROP_TASKS = "/config/event_sources/custom_properties/regex_property_delete_tasks";
    static final String EXPRESSIONS = "/config/event_sources/custom_properties/property_expressions";
    static final String JSON_EXPRESSIONS = "/config/event_sources/custom_properties/property_json_expressions";
    static final String LLC = "/data_classification/low_level_categories";
    static final String QIDS = "/data_classification/qid_records";
    static final String MAPPINGS = "/data_classification/dsm_event_mappings";
    /** regex_properties-POST: "property_type ... (one of: string, numeric, ip, port, time)". */
    private static final Set<String> PROPERTY_TYPES = Set.of("string", "numeric", "ip", "port", "time");
    /** property_json_expressions: an expression is made of JSON key paths such as /"path" (/"a"/"b" nested). */
    private static final Pattern KEY_PATH = Pattern.compile("(/\"(?:[^\"\\\\]|\\\\.)+\")+");

    private final FakeConsole c;

    ContentPages(FakeConsole console) {
        this.c = console;
        c.rows(PROTOCOLS).add(obj("id", 0, "name", "Syslog", "inbound", true));
        c.rows(PROTOCOLS).add(obj("id", 12, "name", "JDBC", "inbound", false));
        ObjectNode linux = obj("id", 11, "name", "Linux OS", "internal", false, "custom", false,
                "default_protocol_id", 0);
        linux.putArray("protocol_types").addObject().put("protocol_id", 0).put("documented", true);
        c.rows(LST).add(linux);
        c.rows(LST).add(obj("id", 147, "name", "System Notification", "internal", true, "custom", false));
        // Names and ids as IBM's QRadar docs list them (Access and System high-level categories).
        llc(4014, "Access Permitted", 1);
        llc(4015, "Access Denied", 3);
        llc(8001, "Unknown System Event", 3);
        llc(8014, "Successful File Modification", 2);
        llc(8028, "File Created", 1);
        llc(8033, "File Deleted", 3);
    }

    private void llc(long id, String name, int severity) {
        c.rows(LLC).add(obj("id", id, "name", name, "severity", severity, "high_level_category_id", id / 1000 * 1000));
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + LST, call -> c.list(call, c.rows(LST)));
        pages.put("POST " + LST, this::createLogSourceType);
        pages.put("GET " + LST + "/{id}", call -> one(call, LST, "id", 1010, "The log source type ID was not found."));
        pages.put("DELETE " + LST + "/{id}", this::deleteLogSourceType);
        pages.put("GET " + PROTOCOLS, call -> c.list(call, c.rows(PROTOCOLS)));
        pages.put("GET " + LOG_SOURCES, call -> c.list(call, c.rows(LOG_SOURCES)));
        pages.put("POST " + LOG_SOURCES, this::createLogSource);
        // log_sources-id-DELETE: 204 text/plain; 404/1010 unknown.
        pages.put("DELETE " + LOG_SOURCES + "/{id}", call -> {
            ObjectNode ls = c.byId(LOG_SOURCES, call.var("id"));
            if (ls == null) {
                return error(404, 1010, "The log source ID was not found.");
            }
            c.rows(LOG_SOURCES).remove(ls);
            return FakeConsole.noContent();
        });
        pages.put("GET " + PROPS, call -> c.list(call, c.rows(PROPS).stream().map(ContentPages::storedCase).toList()));
        pages.put("POST " + PROPS, this::createProperty);
        pages.put("GET " + PROPS + "/{regex_property_id}",
                call -> one(call, PROPS, "regex_property_id", 1002, "The requested event regex property cannot be found."));
        pages.put("DELETE " + PROPS + "/{regex_property_id}", this::deleteProperty);
        pages.put("GET " + PROP_TASKS + "/{task_id}", this::propertyTask);
        pages.put("GET " + EXPRESSIONS, call -> c.list(call, c.rows(EXPRESSIONS)));
        pages.put("POST " + EXPRESSIONS, call -> createExpression(call, EXPRESSIONS));
        pages.put("POST " + EXPRESSIONS + "/{expression_id}", call -> updateExpression(call, EXPRESSIONS));
        pages.put("DELETE " + EXPRESSIONS + "/{expression_id}", call -> deleteExpression(call, EXPRESSIONS));
        pages.put("GET " + JSON_EXPRESSIONS, call -> c.list(call, c.rows(JSON_EXPRESSIONS)));
        pages.put("POST " + JSON_EXPRESSIONS, call -> createExpression(call, JSON_EXPRESSIONS));
        pages.put("POST " + JSON_EXPRESSIONS + "/{expression_id}", call -> updateExpression(call, JSON_EXPRESSIONS));
        pages.put("DELETE " + JSON_EXPRESSIONS + "/{expression_id}", call -> deleteExpression(call, JSON_EXPRESSIONS));
        pages.put("GET " + LLC, call -> c.list(call, c.rows(LLC)));
        pages.put("GET " + QIDS, call -> c.list(call, c.rows(QIDS)));
        pages.put("POST " + QIDS, this::createQid);
        pages.put("GET " + QIDS + "/{qid_record_id}",
                call -> one(call, QIDS, "qid_record_id", 1002, "The requested QID record was not found."));
        pages.put("POST " + QIDS + "/{qid_record_id}", this::updateQid);
        pages.put("GET " + MAPPINGS, call -> c.list(call, c.rows(MAPPINGS)));
        pages.put("POST " + MAPPINGS, this::createMapping);
    }

    private ResponseDefinition one(Call call, String table, String var, int code, String message) {
        ObjectNode row = c.byId(table, call.var(var));
        if (row == null) {
            return error(404, code, message);
        }
        return c.one(call, table.equals(PROPS) ? storedCase(row) : row);
    }

    private long newId() {
        return c.ids.incrementAndGet();
    }

    // log_source_types-POST: a taken name is 422/1001 (not 409); 1002 empty; 1003 over 241 characters; 1004 empty
    // protocol_types; 1005 a protocol_id that is no protocol type.
    private ResponseDefinition createLogSourceType(Call call) {
        JsonNode b = call.body();
        String name = b.path("name").asText("");
        if (name.isBlank()) {
            throw c.refuse(call, "name is empty", 422, 1002, "The provided name is empty.");
        }
        if (name.length() > 241) {
            throw c.refuse(call, "name over 241 characters", 422, 1003, "The provided name exceeds 241 characters.");
        }
        if (!b.path("protocol_types").isArray() || b.path("protocol_types").isEmpty()) {
            throw c.refuse(call, "protocol_types empty", 422, 1004, "The provided protocol_types array is empty.");
        }
        for (JsonNode p : b.path("protocol_types")) {
            if (c.byId(PROTOCOLS, p.path("protocol_id").asText()) == null) {
                throw c.refuse(call, "protocol_id " + p.path("protocol_id") + " is no protocol type", 422, 1005,
                        "The protocol_id must correspond to an existing protocol type.");
            }
        }
        if (named(LST, name) != null) {
            return error(422, 1001, "The provided name is already in use.");
        }
        ObjectNode lst = obj("id", newId(), "name", name, "internal", false, "custom", true);
        lst.set("protocol_types", b.get("protocol_types").deepCopy());
        lst.put("default_protocol_id", b.path("default_protocol_id").asLong(b.path("protocol_types").get(0)
                .path("protocol_id").asLong()));
        lst.putNull("log_source_extension_id");
        lst.put("uuid", UUID.randomUUID().toString());
        c.rows(LST).add(lst);
        return json(201, FakeConsole.visible(lst));
    }

    // log_source_types-id-DELETE: 204, MIME text/plain; 404/1010 unknown; 409/1015 not a custom type.
    private ResponseDefinition deleteLogSourceType(Call call) {
        ObjectNode lst = c.byId(LST, call.var("id"));
        if (lst == null) {
            return error(404, 1010, "The log source type ID was not found.");
        }
        if (!lst.path("custom").asBoolean()) {
            return error(409, 1015, "The requested log source type is not a custom type and thus cannot be deleted.");
        }
        c.rows(LST).remove(lst);
        return FakeConsole.noContent();
    }

    // log_sources-POST: 409/1001 name taken; 422/1007 no such type; 1008 internal type; 1010 no such protocol;
    // 1011 type does not support the protocol; 1015 a required protocol parameter (Syslog: identifier) is missing;
    // 409/1002 the same type, protocol and identifier exist already.
    private ResponseDefinition createLogSource(Call call) {
        JsonNode b = call.body();
        String name = b.path("name").asText("");
        if (name.isBlank()) {
            throw c.refuse(call, "name missing", 422, 1003, "The 'name' parameter is required.");
        }
        ObjectNode type = c.byId(LST, b.path("type_id").asText());
        if (type == null) {
            throw c.refuse(call, "type_id is no log source type", 422, 1007,
                    "The 'type_id' parameter does not match any of the available log source types.");
        }
        if (type.path("internal").asBoolean()) {
            throw c.refuse(call, "internal log source type", 422, 1008,
                    "The 'type_id' parameter cannot correspond to an internal log source type.");
        }
        String protocol = b.path("protocol_type_id").asText();
        if (c.byId(PROTOCOLS, protocol) == null) {
            throw c.refuse(call, "protocol_type_id is no protocol type", 422, 1010,
                    "The 'protocol_type_id' parameter does not match any of the available protocol types.");
        }
        if (type.path("protocol_types").findValuesAsText("protocol_id").stream().noneMatch(protocol::equals)) {
            throw c.refuse(call, "type does not support the protocol", 422, 1011,
                    "The combination of 'type_id' and 'protocol_type_id' is not supported.");
        }
        String identifier = null;
        for (JsonNode p : b.path("protocol_parameters")) {
            if (p.path("name").asText().equals("identifier")) {
                identifier = p.path("value").asText(null);
            }
        }
        if (identifier == null || identifier.isBlank()) {
            throw c.refuse(call, "protocol parameter identifier missing", 422, 1015,
                    "The protocol parameter is required but the value is missing.");
        }
        if (named(LOG_SOURCES, name) != null) {
            return error(409, 1001, "The 'name' parameter must be unique.");
        }
        for (ObjectNode ls : c.rows(LOG_SOURCES)) {
            if (ls.path("type_id").asText().equals(type.path("id").asText())
                    && ls.path("protocol_type_id").asText().equals(protocol) && identifier.equals(ls.path("_identifier").asText())) {
                return error(409, 1002, "The combination of 'type_id','protocol_type_id' and 'identifier' must be unique.");
            }
        }
        ObjectNode ls = ((ObjectNode) b.deepCopy()).put("id", newId()).put("_identifier", identifier);
        if (!ls.has("enabled")) {
            ls.put("enabled", true);
        }
        c.rows(LOG_SOURCES).add(ls);
        return json(201, FakeConsole.visible(ls));
    }

    // regex_properties-POST: name and property_type required, property_type one of the lower-case names;
    // datetime_format and locale required for time, datetime_format a Java SimpleDateFormat pattern. The page names
    // no code for a taken name: it is an invalid parameter, 422/1005.
    private ResponseDefinition createProperty(Call call) {
        JsonNode b = call.body();
        String type = b.path("property_type").asText();
        if (!PROPERTY_TYPES.contains(type)) {
            throw c.refuse(call, "property_type '" + type + "' is not one of " + PROPERTY_TYPES, 422, 1005,
                    "One or more request parameter are invalid in the request.");
        }
        if (type.equals("time")) {
            if (!b.hasNonNull("datetime_format") || !b.hasNonNull("locale")) {
                throw c.refuse(call, "time property without datetime_format and locale", 422, 1005,
                        "datetime_format and locale are required when the property type is TIME");
            }
            try {
                String pattern = b.get("datetime_format").asText();
                new java.text.SimpleDateFormat(pattern, Locale.ROOT);
                // SimpleDateFormat takes '[' as a literal; as DateTimeFormatter's optional section it never matches.
                if (pattern.replaceAll("'[^']*'", "").matches(".*[\\[\\]].*")) {
                    throw new IllegalArgumentException("[optional] sections are DateTimeFormatter syntax");
                }
            } catch (IllegalArgumentException e) {
                throw c.refuse(call, "datetime_format is no SimpleDateFormat pattern: " + e.getMessage(), 422, 1005,
                        "One or more request parameter are invalid in the request.");
            }
        }
        if (named(PROPS, b.path("name").asText()) != null) {
            return error(422, 1005, "One or more request parameter are invalid in the request: the name is in use");
        }
        ObjectNode p = ((ObjectNode) b.deepCopy()).put("id", newId()).put("identifier", UUID.randomUUID().toString())
                .put("username", "API_token: safeguard").put("auto_discovered", false)
                .put("creation_date", System.currentTimeMillis());
        if (!p.has("use_for_rule_engine")) {
            p.put("use_for_rule_engine", false);
        }
        c.rows(PROPS).add(p);
        return json(201, FakeConsole.visible(p));
    }

    /** regex_properties-GET documents property_type as STRING, NUMERIC, IP, PORT, TIME: the case QRadar stores. */
    private static ObjectNode storedCase(ObjectNode p) {
        ObjectNode copy = p.deepCopy();
        copy.put("property_type", p.path("property_type").asText().toUpperCase(Locale.ROOT));
        return copy;
    }

    // regex_properties-regex_property_id-DELETE: 202 with a delete task and a Location header; the task is read at
    // regex_property_delete_tasks/{task_id}; the contract notes it fails while a rule uses the property.
    private ResponseDefinition deleteProperty(Call call) {
        ObjectNode p = c.byId(PROPS, call.var("regex_property_id"));
        if (p == null) {
            return error(404, 1002, "The requested event regex property cannot be found.");
        }
        String identifier = p.path("identifier").asText();
        boolean used = c.propertiesUsedByRules.contains(p.path("name").asText());
        ObjectNode t = c.task("Delete regex property " + p.path("name").asText(), () -> {
            c.rows(PROPS).remove(p);
            c.rows(EXPRESSIONS).removeIf(e -> e.path("regex_property_identifier").asText().equals(identifier));
            c.rows(JSON_EXPRESSIONS).removeIf(e -> e.path("regex_property_identifier").asText().equals(identifier));
        }, used, "The property is used by a rule and cannot be deleted.");
        return new ResponseDefinitionBuilder().withStatus(202).withHeader("Content-Type", "application/json")
                .withHeader("Location", "/api" + PROP_TASKS + "/" + t.path("id").asText())
                .withBody(FakeConsole.visible(t).toString()).build();
    }

    private ResponseDefinition propertyTask(Call call) {
        ObjectNode t = c.tasks.get(Long.valueOf(call.var("task_id")));
        if (t == null) {
            return error(404, 1002, "The requested delete task status cannot be found.");
        }
        return c.one(call, c.advance(t));
    }

    // property_expressions-POST: regex_property_identifier, regex and log_source_type_id required; the property and
    // the type must exist and the regex must be one. property_json_expressions-POST: expression (JSON key paths).
    private ResponseDefinition createExpression(Call call, String table) {
        JsonNode b = call.body();
        checkExpression(call, table, b);
        ObjectNode e = ((ObjectNode) b.deepCopy()).put("id", newId()).put("identifier", UUID.randomUUID().toString())
                .put("username", "API_token: safeguard").put("creation_date", System.currentTimeMillis());
        if (!e.has("enabled")) {
            e.put("enabled", true);
        }
        c.rows(table).add(e);
        return json(201, FakeConsole.visible(e));
    }

    private void checkExpression(Call call, String table, JsonNode b) {
        if (b.has("regex_property_identifier") && named(PROPS, null, b.path("regex_property_identifier").asText()) == null) {
            throw c.refuse(call, "regex_property_identifier names no property", 422, 1005, "Invalid regex_property_identifier");
        }
        if (b.has("log_source_type_id") && c.byId(LST, b.path("log_source_type_id").asText()) == null) {
            throw c.refuse(call, "log_source_type_id names no log source type", 422, 1005, "Invalid log_source_type_id");
        }
        if (table.equals(EXPRESSIONS) && b.has("regex")) {
            try {
                int groups = Pattern.compile(b.path("regex").asText()).matcher("").groupCount();
                if (b.path("capture_group").asInt(1) > groups && !b.hasNonNull("format_string")) {
                    throw c.refuse(call, "capture_group beyond the regex's groups", 422, 1005, "Invalid capture_group");
                }
            } catch (PatternSyntaxException e) {
                throw c.refuse(call, "regex does not compile: " + e.getDescription(), 422, 1005, "Invalid regex");
            }
        }
        if (table.equals(JSON_EXPRESSIONS) && b.has("expression")
                && !KEY_PATH.matcher(b.path("expression").asText()).matches()) {
            throw c.refuse(call, "expression is no JSON key path: " + b.path("expression").asText(), 422, 1005,
                    "Invalid expression");
        }
    }

    // *_expressions-expression_id-POST: any documented field may change; 404/1002 unknown id.
    private ResponseDefinition updateExpression(Call call, String table) {
        ObjectNode e = c.byId(table, call.var("expression_id"));
        if (e == null) {
            return error(404, 1002, "The requested expression cannot be found.");
        }
        checkExpression(call, table, call.body());
        e.setAll((ObjectNode) call.body().deepCopy());
        e.put("modification_date", System.currentTimeMillis());
        return json(200, FakeConsole.visible(e));
    }

    // *_expressions-expression_id-DELETE: 204, MIME text/plain.
    private ResponseDefinition deleteExpression(Call call, String table) {
        ObjectNode e = c.byId(table, call.var("expression_id"));
        if (e == null) {
            return error(404, 1002, "The requested expression cannot be found.");
        }
        c.rows(table).remove(e);
        return FakeConsole.noContent();
    }

    // qid_records-POST: log_source_type_id, name and low_level_category_id required; severity defaults to the
    // category's. The answer's log_source_type_id is "a placeholder with null value": the record keeps its type to
    // itself. There is no DELETE page.
    private ResponseDefinition createQid(Call call) {
        JsonNode b = call.body();
        if (c.byId(LST, b.path("log_source_type_id").asText()) == null) {
            throw c.refuse(call, "log_source_type_id names no log source type", 422, 1005, "Invalid parameter value");
        }
        ObjectNode llc = c.byId(LLC, b.path("low_level_category_id").asText());
        if (llc == null) {
            throw c.refuse(call, "low_level_category_id names no category", 422, 1005, "Invalid parameter value");
        }
        long id = newId();
        ObjectNode q = obj("id", id, "qid", 2_000_000 + id, "name", b.path("name").asText(),
                "description", b.path("description").asText(""), "severity", b.path("severity").asInt(llc.path("severity").asInt()),
                "low_level_category_id", llc.path("id").asLong(), "uuid", UUID.randomUUID().toString(),
                "_lst", b.path("log_source_type_id").asLong());
        q.putNull("log_source_type_id");
        c.rows(QIDS).add(q);
        return json(201, FakeConsole.visible(q));
    }

    private ResponseDefinition updateQid(Call call) {
        ObjectNode q = c.byId(QIDS, call.var("qid_record_id"));
        if (q == null) {
            return error(404, 1002, "The requested QID record was not found.");
        }
        if (call.body().has("low_level_category_id") && c.byId(LLC, call.body().path("low_level_category_id").asText()) == null) {
            throw c.refuse(call, "low_level_category_id names no category", 422, 1005, "Invalid parameter");
        }
        q.setAll((ObjectNode) call.body().deepCopy());
        return json(200, FakeConsole.visible(q));
    }

    // dsm_event_mappings-POST: all four fields required; a second mapping for the same type, event id and category
    // is 409/1008. There is no DELETE page.
    private ResponseDefinition createMapping(Call call) {
        JsonNode b = call.body();
        if (c.byId(LST, b.path("log_source_type_id").asText()) == null
                || c.byId(QIDS, b.path("qid_record_id").asText()) == null) {
            throw c.refuse(call, "log_source_type_id or qid_record_id names nothing", 422, 1005, "Invalid parameter value");
        }
        for (ObjectNode m : c.rows(MAPPINGS)) {
            if (m.path("log_source_type_id").asLong() == b.path("log_source_type_id").asLong()
                    && m.path("log_source_event_id").asText().equals(b.path("log_source_event_id").asText())
                    && m.path("log_source_event_category").asText().equals(b.path("log_source_event_category").asText())) {
                return error(409, 1008, "There is an existing custom DSM event mapping with the same log_source_type_id, "
                        + "log_source_event_id and log_source_event_category.");
            }
        }
        ObjectNode m = ((ObjectNode) b.deepCopy()).put("id", newId()).put("custom_event", true)
                .put("uuid", UUID.randomUUID().toString());
        c.rows(MAPPINGS).add(m);
        return json(201, m);
    }

    private ObjectNode named(String table, String name) {
        return named(table, name, null);
    }

    private ObjectNode named(String table, String name, String identifier) {
        for (ObjectNode o : c.rows(table)) {
            if ((name != null && o.path("name").asText().equals(name))
                    || (identifier != null && o.path("identifier").asText().equals(identifier))) {
                return o;
            }
        }
        return null;
    }

    static List<String> names(List<ObjectNode> rows) {
        return rows.stream().map(r -> r.path("name").asText()).toList();
    }
}
