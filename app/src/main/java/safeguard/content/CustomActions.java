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
 * "Safeguard Responder: &lt;target&gt;", its type and target fixed, the event's user, file name, path and time
 * passed as dynamic parameters. The action token travels as an encrypted fixed parameter, pushed by
 * {@link #pushToken} whenever an admin reveals or rotates it (the app keeps only its hash). An action or script
 * left by an older version of the app is brought in line with this one by {@link #reconcile}.
 */
final class CustomActions {
    static final String SCRIPTS = "/analytics/custom_actions/scripts";
    static final String ACTIONS = "/analytics/custom_actions/actions";
    static final String INTERPRETERS = "/analytics/custom_actions/interpreters";
    static final String ARIEL_EVENTS = "/ariel/databases/events";
    /** The script's dynamic parameters and the events-database columns QRadar fills them from. */
    static final Map<String, String> DYNAMIC = dynamic();
    static final String WAIT_SECONDS = "wait_seconds";
    /** The script's own default; an admin may set another in Define Actions, and updates keep it. */
    static final String WAIT_DEFAULT = "90";
    /** The script's upper bound (WAIT_MAX): a value it would refuse is put back to the default. */
    static final int WAIT_MAX = 900;
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
        refreshScript(report);
        Map<String, JsonNode> existing = existing();
        // A dynamic parameter must name a column of the events database (actions-POST); the console lists them.
        java.util.Set<String> columns = new java.util.HashSet<>();
        for (JsonNode c : qradar.get(ARIEL_EVENTS, Map.of("fields", "columns(name)")).path("columns")) {
            columns.add(c.path("name").asText());
        }
        List<String> missing = DYNAMIC.values().stream().filter(c -> !columns.contains(c)).toList();
        Long interpreter = null;
        Long scriptId = null;
        java.util.Set<String> updated = new java.util.HashSet<>();
        for (Spec spec : specs) {
            String name = PREFIX + spec.target();
            JsonNode found = existing.get(name);
            if (found != null) {
                String id = found.get("id").asText();
                ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION, name, id, false));
                if (asDefined(found, spec, armed)) {
                    report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, id, "present", null));
                } else if (missing.isEmpty()) {
                    // E.g. one made by a version whose script took 9 parameters: it gets this version's.
                    update(found, spec, armed);
                    updated.add(name);
                    report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, id, "updated",
                            "parameters brought in line with this version of the app"));
                } else {
                    report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, id, "present",
                            "its parameters are an older version's until the events database has column "
                                    + String.join(", ", missing)));
                }
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
            body.put("parameters", parameters(spec, armed, WAIT_DEFAULT));
            JsonNode created = qradar.post(ACTIONS, Map.of(), body);
            ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION, name, created.get("id").asText(), true));
            report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION, name, created.get("id").asText(), "created",
                    armed.actionToken().equals(NO_TOKEN_YET) ? "reveal or rotate the action token in the app to arm it" : null));
        }
        // The actions found already may carry older values (a new service token, console certificate or app URL).
        if (!armed.hash(appUrl).equals(caller.state().armed())) {
            arm(specs, armed, existing, updated);
        }
    }

    /**
     * Every Safeguard custom action gets the current token, service token and pin (but those {@code done} have them
     * already); the replaced service goes.
     */
    private int arm(List<Spec> specs, ActionCaller.Armed armed, Map<String, JsonNode> existing, java.util.Set<String> done) {
        int updated = 0;
        for (Spec spec : specs) {
            JsonNode found = existing.get(PREFIX + spec.target());
            if (found != null) {
                if (!done.contains(PREFIX + spec.target())) {
                    update(found, spec, armed);
                }
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
        return arm(specs, caller.armed(), existing(), java.util.Set.of());
    }

    /** A new authorized service for the script, put into every action; the old one is deleted afterwards. */
    int rotateCaller(List<Spec> specs) {
        caller.rotate();
        return arm(specs, caller.armed(), existing(), java.util.Set.of());
    }

    /** An update must carry id, interpreter, script and parameters even when one value changes (actions-action_id-POST). */
    private void update(JsonNode found, Spec spec, ActionCaller.Armed armed) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", found.get("id").asLong());
        body.put("name", found.path("name").asText());
        body.put("description", description(spec));
        body.put("interpreter", found.path("interpreter").asLong());
        body.put("script", found.path("script").asLong());
        body.put("parameters", parameters(spec, armed, keptWait(found)));
        qradar.post(ACTIONS + "/" + found.get("id").asText(), Map.of(), body);
    }

    /**
     * Whether an action has this version's parameters: the same names, kinds and encryption in the same order, and
     * the same values where QRadar shows them (encrypted ones it answers sealed; the armed hash covers those).
     */
    private boolean asDefined(JsonNode found, Spec spec, ActionCaller.Armed armed) {
        List<Map<String, Object>> want = parameters(spec, armed, keptWait(found));
        JsonNode have = found.path("parameters");
        if (have.size() != want.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            Map<String, Object> w = want.get(i);
            JsonNode h = have.get(i);
            boolean encrypted = (Boolean) w.get("encrypted");
            if (!h.path("name").asText().equals(w.get("name"))
                    || !h.path("parameter_type").asText().equals(w.get("parameter_type"))
                    || h.path("encrypted").asBoolean() != encrypted
                    || (!encrypted && !h.path("value").asText().equals(w.get("value")))) {
                return false;
            }
        }
        return true;
    }

    /** The wait an admin set on the action in Define Actions, if the script would take it; else the default. */
    private static String keptWait(JsonNode found) {
        for (JsonNode p : found.path("parameters")) {
            String v = p.path("value").asText();
            if (p.path("name").asText().equals(WAIT_SECONDS) && v.matches("[0-9]{1,3}") && Integer.parseInt(v) <= WAIT_MAX) {
                return v;
            }
        }
        return WAIT_DEFAULT;
    }

    private static String description(Spec spec) {
        return "Protects the data on storage target " + spec.target() + " (" + spec.type()
                + ") through the Safeguard Responder app.";
    }

    private Map<String, JsonNode> existing() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode a : qradar.getAll(ACTIONS, Map.of("fields", "id,name,interpreter,script,parameters"))) {
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
     * The script every action runs: the one QRadar has already (see {@link #knownScript}), else a new upload. A retry
     * after a failed action never uploads a copy.
     */
    private long uploadScript() {
        Long known = knownScript();
        if (known != null) {
            return known;
        }
        byte[] script = script();
        JsonNode created = qradar.upload(SCRIPTS, SCRIPT_FILE, script);
        ledger.record(new LedgerEntry(ContentProvisioner.CUSTOM_ACTION_SCRIPT, SCRIPT_FILE, created.get("id").asText(), true));
        caller.scriptIs(sha256(script));
        return created.get("id").asLong();
    }

    /** The one the ledger names if QRadar still has it, else one with our file name (an upload whose answer was lost). */
    private Long knownScript() {
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
        return null;
    }

    /**
     * QRadar keeps the script it was given and never shows its content, so one an older version uploaded (which may
     * read fewer parameters) is replaced in place when its digest is not this version's: the actions keep its id.
     */
    private void refreshScript(List<ItemStatus> report) {
        byte[] script = script();
        String digest = sha256(script);
        if (digest.equals(caller.state().script())) {
            return;
        }
        Long id = knownScript();
        if (id == null) {
            return; // uploaded, and its digest kept, when the first action is made
        }
        qradar.upload(SCRIPTS + "/" + id, SCRIPT_FILE, script);
        caller.scriptIs(digest);
        report.add(new ItemStatus(ContentProvisioner.CUSTOM_ACTION_SCRIPT, SCRIPT_FILE, id.toString(), "updated",
                "replaced by this version's script; deploy changes so that rules run it"));
    }

    /**
     * In the script's positional order (see the script's header): QRadar passes them in their defined order, so a
     * new one only ever goes at the end, where an older script ignores it.
     */
    private List<Map<String, Object>> parameters(Spec spec, ActionCaller.Armed armed, String wait) {
        List<Map<String, Object>> p = new ArrayList<>();
        p.add(param("app_url", "fixed", false, appUrl));
        p.add(param("action_token", "fixed", true, armed.actionToken()));
        p.add(param("sec_token", "fixed", true, armed.secToken()));
        p.add(param("console_sha256", "fixed", false, armed.consolePin()));
        p.add(param("action_type", "fixed", false, spec.type()));
        p.add(param("target", "fixed", false, spec.target()));
        p.add(dynamicParam("username"));
        p.add(dynamicParam("filename"));
        p.add(dynamicParam("file_path"));
        p.add(param(WAIT_SECONDS, "fixed", false, wait));
        p.add(dynamicParam("event_time"));
        return p;
    }

    private static Map<String, String> dynamic() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("username", "username");
        m.put("filename", "Filename");
        m.put("file_path", "File path");
        // When the log source (Storage Scale's audit record) says the event happened, in epoch milliseconds; not
        // starttime, which is when QRadar received it.
        m.put("event_time", "devicetime");
        return java.util.Collections.unmodifiableMap(m);
    }

    private static Map<String, Object> dynamicParam(String name) {
        return param(name, "dynamic", false, DYNAMIC.get(name));
    }

    private static String sha256(byte[] bytes) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
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
