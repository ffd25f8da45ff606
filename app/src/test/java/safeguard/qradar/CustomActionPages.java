package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;

/** Custom action interpreters, scripts and actions. */
final class CustomActionPages {
    static final String BASE = "/analytics/custom_actions";
    static final String SCRIPTS = BASE + "/scripts";
    static final String ACTIONS = BASE + "/actions";
    static final String INTERPRETERS = BASE + "/interpreters";

    private final FakeConsole c;

    CustomActionPages(FakeConsole console) {
        this.c = console;
        // interpreters-GET documents only {id, name}; the names are not documented, so the client must match leniently.
        c.rows(INTERPRETERS).add(obj("id", 1, "name", "bash"));
        c.rows(INTERPRETERS).add(obj("id", 2, "name", "python"));
        c.rows(INTERPRETERS).add(obj("id", 3, "name", "perl"));
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + INTERPRETERS, call -> c.list(call, c.rows(INTERPRETERS)));
        pages.put("GET " + SCRIPTS, call -> c.list(call, c.rows(SCRIPTS)));
        pages.put("POST " + SCRIPTS, this::upload);
        pages.put("POST " + SCRIPTS + "/{script_id}", this::replace);
        pages.put("DELETE " + SCRIPTS + "/{script_id}", this::deleteScript);
        pages.put("GET " + ACTIONS, call -> c.list(call, c.rows(ACTIONS).stream().map(this::sealed).toList()));
        pages.put("POST " + ACTIONS, this::create);
        pages.put("GET " + ACTIONS + "/{action_id}", call -> {
            ObjectNode a = c.byId(ACTIONS, call.var("action_id"));
            return a == null ? error(404, 1002, "The requested custom action could not be found.") : c.one(call, sealed(a));
        });
        pages.put("POST " + ACTIONS + "/{action_id}", this::update);
        pages.put("DELETE " + ACTIONS + "/{action_id}", this::deleteAction);
    }

    // scripts-POST: the file as application/octet-stream; optional header file_name, else the name is the id;
    // "Newly created custom action script files require a deployment before using".
    private ResponseDefinition upload(Call call) {
        long id = c.ids.incrementAndGet();
        String name = call.request().getHeader("file_name");
        ObjectNode s = obj("id", id, "file_name", name == null ? Long.toString(id) : name);
        c.rows(SCRIPTS).add(s);
        c.scripts.put(id, call.raw());
        return json(201, s);
    }

    private ResponseDefinition replace(Call call) {
        ObjectNode s = c.byId(SCRIPTS, call.var("script_id"));
        if (s == null) {
            return error(404, 1002, "The requested custom action script file could not be found.");
        }
        c.scripts.put(s.path("id").asLong(), call.raw());
        return json(200, s);
    }

    // scripts-script_id-DELETE: 204 text/plain; 422/1005 while an action uses the script.
    private ResponseDefinition deleteScript(Call call) {
        ObjectNode s = c.byId(SCRIPTS, call.var("script_id"));
        if (s == null) {
            return error(404, 1002, "The requested custom action script file could not be found.");
        }
        for (ObjectNode a : c.rows(ACTIONS)) {
            if (a.path("script").asLong() == s.path("id").asLong()) {
                return error(422, 1005, "The requested custom action script file is tied to an existing custom action.");
            }
        }
        c.rows(SCRIPTS).remove(s);
        c.scripts.remove(s.path("id").asLong());
        return FakeConsole.noContent();
    }

    // actions-POST: name (unique), interpreter, script, parameters required; each parameter needs name,
    // parameter_type (fixed or dynamic), encrypted and value; a dynamic value must be an Ariel column of the events
    // database (ariel-databases-database_name-GET).
    private ResponseDefinition create(Call call) {
        JsonNode b = call.body();
        checkAction(call, b, true);
        for (ObjectNode a : c.rows(ACTIONS)) {
            if (a.path("name").asText().equals(b.path("name").asText())) {
                return error(422, 1005, "One or more parameters are invalid in request: the name is in use");
            }
        }
        ObjectNode a = ((ObjectNode) b.deepCopy()).put("id", c.ids.incrementAndGet());
        c.rows(ACTIONS).add(a);
        remember(a);
        return json(201, sealed(a));
    }

    // actions-action_id-POST: "id, interpreter, script, parameters" are Required even when unchanged; id is the
    // path's.
    private ResponseDefinition update(Call call) {
        ObjectNode a = c.byId(ACTIONS, call.var("action_id"));
        if (a == null) {
            return error(404, 1002, "The requested custom action could not be found.");
        }
        JsonNode b = call.body();
        if (!b.path("id").asText().equals(call.var("action_id"))) {
            throw c.refuse(call, "body id differs from the path's action_id", 422, 1005, "One or more parameters are invalid");
        }
        checkAction(call, b, false);
        a.setAll((ObjectNode) b.deepCopy());
        remember(a);
        return json(200, sealed(a));
    }

    private void checkAction(Call call, JsonNode b, boolean create) {
        if (c.byId(INTERPRETERS, b.path("interpreter").asText()) == null) {
            throw c.refuse(call, "interpreter names no interpreter", 422, 1005, "One or more parameters are invalid");
        }
        if (c.byId(SCRIPTS, b.path("script").asText()) == null) {
            throw c.refuse(call, "script names no script", 422, 1005, "One or more parameters are invalid");
        }
        if (!b.path("parameters").isArray()) {
            throw c.refuse(call, "parameters must be an array", 422, 1005, "One or more parameters are invalid");
        }
        Set<String> names = new HashSet<>();
        Set<String> columns = AccessPages.eventColumns(c);
        for (JsonNode p : b.path("parameters")) {
            // On create every parameter field is Required; on update only name is.
            for (String f : create ? new String[] {"name", "parameter_type", "encrypted", "value"} : new String[] {"name"}) {
                if (!p.hasNonNull(f)) {
                    throw c.refuse(call, "parameter field '" + f + "' missing", 422, 1005, "One or more parameters are invalid");
                }
            }
            if (!names.add(p.path("name").asText())) {
                throw c.refuse(call, "parameter name '" + p.path("name").asText() + "' twice", 422, 1005, "Invalid parameters");
            }
            String type = p.path("parameter_type").asText("fixed");
            if (!type.equals("fixed") && !type.equals("dynamic")) {
                throw c.refuse(call, "parameter_type '" + type + "'", 422, 1005, "Invalid parameters");
            }
            if (type.equals("dynamic") && !columns.contains(p.path("value").asText())) {
                throw c.refuse(call, "dynamic parameter '" + p.path("name").asText() + "' names '"
                        + p.path("value").asText() + "', no column of the events database", 422, 1005, "Invalid parameters");
            }
        }
    }

    private void remember(ObjectNode a) {
        Map<String, String> values = new LinkedHashMap<>();
        for (JsonNode p : a.path("parameters")) {
            values.put(p.path("name").asText(), p.path("value").asText());
        }
        c.actionSecrets.put(a.path("id").asLong(), values);
    }

    /** actions-GET: "encrypted - ... whether the value field is stored in an encrypted state": never in clear. */
    private ObjectNode sealed(ObjectNode a) {
        ObjectNode copy = a.deepCopy();
        for (JsonNode p : (ArrayNode) copy.withArray("parameters")) {
            if (p.path("encrypted").asBoolean()) {
                ((ObjectNode) p).put("value", Base64.getEncoder().encodeToString(
                        ("sealed:" + p.path("value").asText().hashCode()).getBytes(StandardCharsets.UTF_8)));
            }
        }
        return copy;
    }

    // actions-action_id-DELETE: 204 text/plain.
    private ResponseDefinition deleteAction(Call call) {
        ObjectNode a = c.byId(ACTIONS, call.var("action_id"));
        if (a == null) {
            return error(404, 1002, "The requested custom action could not be found.");
        }
        c.rows(ACTIONS).remove(a);
        c.actionSecrets.remove(a.path("id").asLong());
        return FakeConsole.noContent();
    }
}
