package safeguard.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;

/**
 * The QRadar custom actions that run the shipped script: one per storage target, named
 * "Safeguard Responder: &lt;target&gt;", its type and target fixed, the event's user, file name and path passed as
 * dynamic parameters. The action token travels as an encrypted fixed parameter, pushed by {@link #pushToken}
 * whenever an admin reveals or rotates it (the app keeps only its hash).
 */
final class CustomActions {
    static final String SCRIPTS = "/analytics/custom_actions/scripts";
    static final String ACTIONS = "/analytics/custom_actions/actions";
    static final String INTERPRETERS = "/analytics/custom_actions/interpreters";
    static final String ARIEL_EVENTS = "/ariel/databases/events";
    /** The script's dynamic parameters and the events-database columns QRadar fills them from. */
    static final Map<String, String> DYNAMIC = dynamic();
    static final String SCRIPT_FILE = "safeguard-action.py";
    static final String SCRIPT_RESOURCE = "/content/custom-action/" + SCRIPT_FILE;
    static final String PREFIX = "Safeguard Responder: ";
    static final String NO_TOKEN_YET = "reveal-or-rotate-the-token-in-the-app";

    /** What a target's custom action does. */
    record Spec(String target, String type) {
    }

    private final QradarClient qradar;
    private final String appUrl;
    private final ContentLedger ledger;
    private final ActionCaller caller;

    CustomActions(QradarClient qradar, String appUrl, ContentLedger ledger, ActionCaller caller) {
        this.qradar = qradar;
        this.appUrl = appUrl;
        this.ledger = ledger;
        this.caller = caller;
    }

    static byte[] script() {
        try (InputStream in = CustomActions.class.getResourceAsStream(SCRIPT_RESOURCE)) {
            return Objects.requireNonNull(in, SCRIPT_RESOURCE).readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    void reconcile(List<Spec> specs, List<ItemStatus> report) {
        if (specs.isEmpty()) {
            return;
        }
        caller.ensure(report);
        ActionCaller.Armed armed = caller.armed();
        Map<String, JsonNode> existing = existing();
        // A dynamic parameter must name a column of the events database (actions-POST); the console lists them.
        java.util.Set<String> columns = new java.util.HashSet<>();
        for (JsonNode c : qradar.get(ARIEL_EVENTS, Map.of("fields", "columns(name)")).path("columns")) {
            columns.add(c.path("name").asText());
        }
        List<String> missing = DYNAMIC.values().stream().filter(c -> !columns.contains(c)).toList();
        Long interpreter = null;
        Long scriptId = null;
        for (Spec spec : specs) {
            String name = PREFIX + spec.target();
            JsonNode found = existing.get(name);
            if (found != null) {
                ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION, name, found.get("id").asText(), false));
                report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, found.get("id").asText(), "present", null));
                continue;
            }
            if (!missing.isEmpty()) {
                report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, null, "missing",
                        "the events database has no column " + String.join(", ", missing)
                                + ": the custom action waits until the DSM's properties exist"));
                continue;
            }
            if (interpreter == null) {
                interpreter = python();
                scriptId = uploadScript();
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("description", description(spec));
            body.put("interpreter", interpreter);
            body.put("script", scriptId);
            body.put("parameters", parameters(spec, armed));
            JsonNode created = qradar.post(ACTIONS, Map.of(), body);
            ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION, name, created.get("id").asText(), true));
            report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, created.get("id").asText(), "created",
                    armed.actionToken().equals(NO_TOKEN_YET) ? "reveal or rotate the action token in the app to arm it" : null));
        }
        // The actions found already may carry older values (a new service token, console certificate or app URL).
        if (!armed.hash(appUrl).equals(caller.state().armed())) {
            arm(specs, armed, existing);
        }
    }

    /** Every Safeguard custom action gets the current token, service token and pin; the replaced service goes. */
    private int arm(List<Spec> specs, ActionCaller.Armed armed, Map<String, JsonNode> existing) {
        int updated = 0;
        for (Spec spec : specs) {
            JsonNode found = existing.get(PREFIX + spec.target());
            if (found != null) {
                update(found, spec, armed);
                updated++;
            }
        }
        caller.armedWith(armed.hash(appUrl));
        caller.retireOld();
        return updated;
    }

    /** Puts a freshly shown action token into every Safeguard custom action; returns how many were updated. */
    int pushToken(List<Spec> specs, String token) {
        caller.actionToken(token);
        return arm(specs, caller.armed(), existing());
    }

    /** A new authorized service for the script, put into every action; the old one is deleted afterwards. */
    int rotateCaller(List<Spec> specs) {
        caller.rotate();
        return arm(specs, caller.armed(), existing());
    }

    /** An update must carry id, interpreter, script and parameters even when one value changes (actions-action_id-POST). */
    private void update(JsonNode found, Spec spec, ActionCaller.Armed armed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", found.get("id").asLong());
        body.put("name", found.path("name").asText());
        body.put("description", description(spec));
        body.put("interpreter", found.path("interpreter").asLong());
        body.put("script", found.path("script").asLong());
        body.put("parameters", parameters(spec, armed));
        qradar.post(ACTIONS + "/" + found.get("id").asText(), Map.of(), body);
    }

    private static String description(Spec spec) {
        return "Protects the data on storage target " + spec.target() + " (" + spec.type()
                + ") through the Safeguard Responder app.";
    }

    private Map<String, JsonNode> existing() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode a : qradar.getAll(ACTIONS, Map.of("fields", "id,name,interpreter,script"))) {
            String n = a.path("name").asText();
            if (n.startsWith(PREFIX)) {
                byName.put(n, a);
            }
        }
        return byName;
    }

    private long python() {
        JsonNode best = null;
        for (JsonNode i : qradar.getAll(INTERPRETERS, Map.of())) {
            if (i.path("name").asText().toLowerCase(java.util.Locale.ROOT).contains("python")) {
                best = i; // the list is ordered oldest first on the boxes seen; the last python wins
            }
        }
        if (best == null) {
            throw new QradarException(404, 0, "QRadar offers no Python interpreter for custom actions");
        }
        return best.get("id").asLong();
    }

    /**
     * The script every action runs: the one the ledger names if QRadar still has it, else one with our file name
     * (an upload whose answer was lost), else a new upload. A retry after a failed action never uploads a copy.
     */
    private long uploadScript() {
        List<JsonNode> scripts = qradar.getAll(SCRIPTS, Map.of());
        String known = ledger.find(ContentProvisioner.CUSTOM_ACTION_SCRIPT, SCRIPT_FILE).map(LedgerEntry::id).orElse(null);
        for (JsonNode s : scripts) {
            if (s.path("id").asText().equals(known)) {
                return s.path("id").asLong();
            }
        }
        for (JsonNode s : scripts) {
            // scripts-GET documents {id, name}; the upload's answer calls it file_name.
            if (SCRIPT_FILE.equals(s.path("name").asText(s.path("file_name").asText()))) {
                ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION_SCRIPT, SCRIPT_FILE, s.path("id").asText(), true));
                return s.path("id").asLong();
            }
        }
        JsonNode created = qradar.upload(SCRIPTS, SCRIPT_FILE, script());
        ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION_SCRIPT, SCRIPT_FILE, created.get("id").asText(), true));
        return created.get("id").asLong();
    }

    /** In the script's positional order (see the script's header): QRadar passes them in their defined order. */
    private List<Map<String, Object>> parameters(Spec spec, ActionCaller.Armed armed) {
        List<Map<String, Object>> p = new ArrayList<>();
        p.add(param("app_url", "fixed", false, appUrl));
        p.add(param("action_token", "fixed", true, armed.actionToken()));
        p.add(param("sec_token", "fixed", true, armed.secToken()));
        p.add(param("console_sha256", "fixed", false, armed.consolePin()));
        p.add(param("action_type", "fixed", false, spec.type()));
        p.add(param("target", "fixed", false, spec.target()));
        DYNAMIC.forEach((name, column) -> p.add(param(name, "dynamic", false, column)));
        return p;
    }

    private static Map<String, String> dynamic() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("username", "username");
        m.put("filename", "Filename");
        m.put("file_path", "File path");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Object> param(String name, String type, boolean encrypted, String value) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", name);
        m.put("parameter_type", type);
        m.put("encrypted", encrypted);
        m.put("value", value);
        return m;
    }
}
