package safeguard.qradar;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.HttpHeader;
import com.github.tomakehurst.wiremock.http.HttpHeaders;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import safeguard.Json;
import safeguard.qradar.ConsoleContract.Body;
import safeguard.qradar.ConsoleContract.Endpoint;

/**
 * A QRadar console's REST API as IBM's API 26.0 reference documents it, for WireMock. Stateful (what is created
 * exists afterwards, ids are the console's, names collide), strict (every request is checked against its page in
 * {@link ConsoleContract}; whatever breaks the page is answered as the console would and recorded as a
 * violation, which fails the test through {@link ConsoleExtension}), and it records every request it saw.
 * The endpoints' behaviour lives in {@link ContentPages}, {@link ReferenceDataPages}, {@link CustomActionPages}
 * {@link AccessPages} and {@link OffensePages}.
 */
public final class FakeConsole implements ResponseDefinitionTransformerV2 {
    public static final String NAME = "fake-console";
    /** The app's authorised-service token ({@code SEC_ADMIN_TOKEN}). */
    public static final String TOKEN = "a1b2c3d4-authorised-service-token";

    /** A request that broke its page, with the rule and the page. */
    public record Violation(String request, String rule, String page) {
        @Override
        public String toString() {
            return request + ": " + rule + " [" + page + "]";
        }
    }

    /** A request as the console saw it. */
    public record Seen(String method, String path, String query, String version, int status) {
    }

    /** What a page's handler gets: the documented endpoint, its path variables, the query and the body. */
    record Call(Endpoint endpoint, Map<String, String> vars, Map<String, String> query, JsonNode body, byte[] raw,
                Request request, String label) {
        String var(String name) {
            return vars.get(name);
        }

        String query(String name) {
            return query.get(name);
        }
    }

    interface Page {
        ResponseDefinition answer(Call call);
    }

    /** An answer the handler wants to give because the request is malformed: it also counts as a violation. */
    static final class Refused extends RuntimeException {
        final ResponseDefinition answer;

        Refused(ResponseDefinition answer) {
            super(null, null, false, false);
            this.answer = answer;
        }
    }

    final AtomicLong ids = new AtomicLong(1000);
    final Map<String, List<ObjectNode>> tables = new LinkedHashMap<>();
    final ReferenceStore referenceStore = new ReferenceStore(this);
    final Map<String, ObjectNode> sessions = new LinkedHashMap<>();
    final Map<Long, ObjectNode> tasks = new HashMap<>();
    final Map<Long, Runnable> onTaskDone = new HashMap<>();
    final Map<Long, byte[]> scripts = new HashMap<>();
    /** Custom action id → parameter name → value as the admin typed it (answers only show encrypted ones sealed). */
    final Map<Long, Map<String, String>> actionSecrets = new HashMap<>();
    final Set<String> propertiesUsedByRules = new java.util.HashSet<>();
    final Set<Long> offenses = new java.util.HashSet<>();
    final List<ObjectNode> versions = new ArrayList<>();
    final Set<String> validTokens = new java.util.HashSet<>(Set.of(TOKEN));
    public final AtomicInteger whoAmICalls = new AtomicInteger();
    /** Requests that reached the app proxy (whatever it then answered). */
    public final AtomicInteger proxied = new AtomicInteger();

    private final Map<String, Page> pages = new HashMap<>();
    private final OffensePages offensePages = new OffensePages(this);
    final Map<String, String> apps = new HashMap<>();
    private final AppProxy appProxy = new AppProxy(this);
    private final LogSourcePages logSources = new LogSourcePages(this);
    private final List<Violation> violations = new ArrayList<>();
    private final List<Seen> seen = new ArrayList<>();

    public FakeConsole() {
        offersVersions("17.0:deprecated", "20.0:deprecated", "22.0:deprecated", "24.0", "25.0", "26.0");
        new ContentPages(this).register(pages);
        new ReferenceDataPages(this, referenceStore).register(pages);
        new ReferenceCollectionPages(this, referenceStore).register(pages);
        new CustomActionPages(this).register(pages);
        new AccessPages(this).register(pages);
        offensePages.register(pages);
        logSources.register(pages);
    }

    /** Log sources' event times and analytics rules (readiness). */
    public LogSourcePages logSources() {
        return logSources;
    }

    // ---- what tests arrange -------------------------------------------------------------------------------------

    /** The API versions this console lists at /help/versions, e.g. {@code "22.0:deprecated"}, {@code "16.0:removed"}. */
    public synchronized FakeConsole offersVersions(String... list) {
        versions.clear();
        long id = 1;
        for (String v : list) {
            String[] p = v.split(":");
            ObjectNode o = obj("id", id++, "version", p[0], "deprecated", p.length > 1 && p[1].equals("deprecated"),
                    "removed", p.length > 1 && p[1].equals("removed"));
            o.putArray("root_resource_ids");
            versions.add(o);
        }
        return this;
    }

    /** Someone signed in to the console; their browser now holds {@code sec} as its SEC cookie. */
    public synchronized void signsIn(String sec, String username, boolean admin) {
        sessions.put(sec, obj("id", 100 + sessions.size(), "username", username, "user_role_id", admin ? 1 : 2,
                "_csrf", "csrf-" + Integer.toHexString(sec.hashCode())));
    }

    public synchronized void signsOut(String sec) {
        sessions.remove(sec);
    }

    /** A rule uses this custom property: QRadar's delete task for it ends in failure. */
    public synchronized void ruleUses(String propertyName) {
        propertiesUsedByRules.add(propertyName);
    }

    public synchronized void hasOffense(long id) {
        offenses.add(id);
    }

    /** Offenses, their notes and the rules that make them (what tests arrange there, and read). */
    public OffensePages offenses() {
        return offensePages;
    }

    /** Content an admin made before the app arrived (answers keep the console's shape). */
    public synchronized ObjectNode adminCreates(String path, Object... fields) {
        ObjectNode o = obj(fields);
        o.put("id", ids.incrementAndGet());
        if (path.endsWith("regex_properties")) {
            o.put("identifier", java.util.UUID.randomUUID().toString());
        }
        table(path).add(o);
        return o;
    }

    public synchronized ObjectNode adminCreatesReferenceSet(String name, String type, String... elements) {
        ReferenceStore.RefSet set = referenceStore.create(name, type);
        for (String e : elements) {
            referenceStore.put(set, e, "admin");
        }
        return set.collection();
    }

    // ---- what tests read ----------------------------------------------------------------------------------------

    /** The console's records at a collection path (e.g. {@code /data_classification/qid_records}), a copy. */
    public synchronized List<ObjectNode> table(String path) {
        return tables.computeIfAbsent(path, p -> new ArrayList<>());
    }

    /** A set's values in the order they were added; null when there is no such set. */
    public synchronized List<String> setValues(String name) {
        ReferenceStore.RefSet set = referenceStore.byName.get(name);
        return set == null ? null : set.inOrder().stream().map(e -> e.value).toList();
    }

    public synchronized boolean hasSet(String name) {
        return referenceStore.byName.containsKey(name);
    }

    /** A set's metadata as the collections API shows it (id, entry_type, expiry, ...); null when there is none. */
    public synchronized ObjectNode referenceSet(String name) {
        ReferenceStore.RefSet set = referenceStore.byName.get(name);
        return set == null ? null : set.collection();
    }

    public synchronized byte[] script(long id) {
        return scripts.get(id);
    }

    /** A custom action's parameter values as they were sent (QRadar keeps encrypted ones sealed in its answers). */
    public synchronized Map<String, String> actionParameters(long actionId) {
        return Map.copyOf(actionSecrets.getOrDefault(actionId, Map.of()));
    }

    public synchronized List<Violation> violations() {
        return List.copyOf(violations);
    }

    /** Takes the violations a test provoked on purpose, so that they do not fail it. */
    public synchronized List<Violation> takeViolations() {
        List<Violation> v = List.copyOf(violations);
        violations.clear();
        return v;
    }

    public synchronized List<Seen> requests() {
        return List.copyOf(seen);
    }

    public synchronized long writes() {
        return seen.stream().filter(s -> !s.method().equals("GET")).count();
    }

    /**
     * Requests whose "METHOD /path" {@code which} accepts wait, before the console looks at them, until the
     * returned hold is released (a console slow to answer one call); other requests are answered meanwhile.
     */
    public Hold hold(java.util.function.Predicate<String> which) {
        Hold h = new Hold(which);
        held = h;
        return h;
    }

    /** Requests held by {@link #hold}: {@link #awaitArrival} until one came, {@link #release} to answer them. */
    public static final class Hold {
        private final java.util.function.Predicate<String> which;
        private final java.util.concurrent.CountDownLatch arrived = new java.util.concurrent.CountDownLatch(1);
        private final java.util.concurrent.CountDownLatch released = new java.util.concurrent.CountDownLatch(1);

        private Hold(java.util.function.Predicate<String> which) {
            this.which = which;
        }

        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
                throw new AssertionError("no held request reached the console in 30 s");
            }
        }

        public void release() {
            released.countDown();
        }

        private void await(String label) {
            if (!which.test(label)) {
                return;
            }
            arrived.countDown();
            try {
                released.await(30, java.util.concurrent.TimeUnit.SECONDS); // bounded: a forgotten hold ends
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private volatile Hold held;

    // ---- the console ---------------------------------------------------------------------------------------------

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    /** The console's app proxy forwards {@code /console/plugins/{appId}/app_proxy/*} to the app at {@code baseUrl}. */
    public synchronized void proxiesTo(String appId, String baseUrl) {
        apps.put(appId, baseUrl);
    }

    /** The CSRF token QRadar gave a user's session (the QRadarCSRF cookie the tab echoes as a header). */
    public synchronized String csrfOf(String sec) {
        ObjectNode s = sessions.get(sec);
        return s == null ? null : s.path("_csrf").asText();
    }

    @Override
    public ResponseDefinition transform(ServeEvent event) {
        Request r = event.getRequest();
        URI uri = URI.create(r.getUrl());
        if (uri.getRawPath().startsWith("/console/plugins/")) {
            // Forwarding happens outside the lock: the app may call this console's API while it answers.
            return appProxy.forward(r, uri);
        }
        Hold h = held;
        if (h != null) {
            h.await(r.getMethod().getName() + " " + uri.getRawPath()); // outside the lock: others are answered
        }
        synchronized (this) {
            return api(r, uri);
        }
    }

    private ResponseDefinition api(Request r, URI uri) {
        String method = r.getMethod().getName();
        String label = method + " " + uri.getRawPath() + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery());
        if (uri.getRawPath().equals("/api/config/access/users") && label.contains("current_user=true")) {
            whoAmICalls.incrementAndGet();
        }
        ResponseDefinition answer = answer(r, uri, method, label);
        seen.add(new Seen(method, uri.getRawPath(), uri.getRawQuery(), r.getHeader("Version"), answer.getStatus()));
        return answer;
    }

    private ResponseDefinition answer(Request r, URI uri, String method, String label) {
        String raw = uri.getRawPath();
        if (!raw.startsWith("/api/")) {
            return error(404, 1002, "not an API path");
        }
        List<String> segments = new ArrayList<>();
        for (String s : raw.substring("/api/".length()).split("/", -1)) {
            segments.add(URLDecoder.decode(s.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        var found = ConsoleContract.find(method, segments);
        if (found == null) {
            return violation(label, "no page of API 26.0 documents " + method + " " + raw, "(none)",
                    error(404, 1002, "Unknown endpoint " + method + " " + raw));
        }
        Endpoint e = found.getKey();
        String sec = r.getHeader("SEC");
        if (sec == null || !(validTokens.contains(sec) || sessions.containsKey(sec))) {
            // QRadar's API overview: an invalid or missing SEC token is 401; our request may be fine otherwise.
            return error(401, 22, sec == null ? "No SEC header present in request. Please provide it and try again."
                    : "Invalid SEC token");
        }
        List<HttpHeader> extra = new ArrayList<>();
        ResponseDefinition bad = checkVersion(r, e, label, extra);
        if (bad != null) {
            return bad;
        }
        String successor = ConsoleContract.successorOf(e, r.getHeader("Version"));
        if (successor != null) {
            // The console still answers a DEPRECATED endpoint; at a version that has its successor, calling it is
            // the client's mistake (QRadar removes deprecated endpoints later).
            violation(label, "endpoint DEPRECATED in 26.0; use " + successor, e.page(), null);
        }
        String unknown = ConsoleContract.notYetOrNoLonger(e, r.getHeader("Version"));
        if (unknown != null) {
            return violation(label, unknown, e.page(), error(404, 1002, "Unknown endpoint " + method + " " + raw));
        }
        bad = checkAccept(r, e, label);
        if (bad != null) {
            return bad;
        }
        Map<String, String> query = new LinkedHashMap<>();
        bad = checkQuery(uri, e, label, query);
        if (bad != null) {
            return bad;
        }
        if (r.getHeader("Range") != null && !e.headers().contains("Range")) {
            violation(label, "Range header on an endpoint whose page has no Range parameter", e.page(), null);
        }
        JsonNode body;
        try {
            body = checkBody(r, e, label);
        } catch (Refused x) {
            return x.answer;
        }
        Call call = new Call(e, found.getValue(), query, body, r.getBody(), r, label);
        ResponseDefinition a;
        try {
            a = pages.get(e.key()).answer(call);
        } catch (Refused x) {
            return x.answer;
        }
        if (!extra.isEmpty()) {
            a = ResponseDefinitionBuilder.like(a).withHeaders(withExtra(a.getHeaders(), extra)).build();
        }
        return a;
    }

    private ResponseDefinition checkVersion(Request r, Endpoint e, String label, List<HttpHeader> extra) {
        String v = r.getHeader("Version");
        boolean negotiation = e.template().equals("/help/versions");
        if (v == null) {
            // Without Version the console answers with its newest API; only the version list may be read that way.
            return negotiation ? null : violation(label, "no Version header", e.page(), null);
        }
        for (ObjectNode known : versions) {
            if (known.path("version").asText().equals(v) || known.path("version").asText().equals(v + ".0")) {
                if (known.path("removed").asBoolean()) {
                    return violation(label, "Version " + v + " is removed on this console", "26.0--help-versions-GET",
                            error(406, 1010, "Version " + v + " has been removed"));
                }
                if (known.path("deprecated").asBoolean()) {
                    extra.add(new HttpHeader("Deprecated", "true"));
                    violation(label, "deprecated Version " + v, "26.0--help-versions-GET", null);
                }
                return null;
            }
        }
        return violation(label, "Version " + v + " is not offered by this console", "26.0--help-versions-GET",
                error(406, 1010, "Version " + v + " is not a valid version"));
    }

    private ResponseDefinition checkAccept(Request r, Endpoint e, String label) {
        String accept = r.getHeader("Accept");
        if (accept == null) {
            return null;
        }
        String mime = e.mime();
        for (String part : accept.split(",")) {
            String a = part.split(";")[0].trim();
            if (a.equals("*/*") || a.equals(mime) || a.equals(mime.substring(0, mime.indexOf('/')) + "/*")) {
                return null;
            }
        }
        return violation(label, "Accept '" + accept + "' excludes the page's MIME type " + mime, e.page(),
                error(406, 1009, "The MIME type " + mime + " of this resource is not acceptable"));
    }

    private ResponseDefinition checkQuery(URI uri, Endpoint e, String label, Map<String, String> query) {
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int eq = pair.indexOf('=');
                String k = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
                String v = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                if (!e.query().contains(k)) {
                    violation(label, "query parameter '" + k + "' is not documented"
                            + (e.headers().contains(k) ? " (the page has it as a header)" : ""), e.page(), null);
                }
                query.put(k, v);
            }
        }
        for (String required : e.requiredQuery()) {
            if (query.get(required) == null || query.get(required).isEmpty()) {
                return violation(label, "required query parameter '" + required + "' missing", e.page(),
                        error(422, 1005, "A request parameter is not valid: " + required + " is required"));
            }
        }
        return null;
    }

    private JsonNode checkBody(Request r, Endpoint e, String label) {
        byte[] raw = r.getBody();
        boolean has = raw != null && raw.length > 0;
        String type = r.getHeader("Content-Type") == null ? "" : r.getHeader("Content-Type");
        switch (e.body()) {
            case NONE -> {
                if (has) {
                    violation(label, "a body was sent; the page documents none (parameters go in the query)", e.page(), null);
                }
                return null;
            }
            case OCTETS -> {
                if (!type.startsWith("application/octet-stream") || !has) {
                    throw refuse(label, "the script file must be sent as application/octet-stream", e.page(),
                            422, 1005, "Must be supplied with MIME type application/octet-stream");
                }
                return null;
            }
            default -> {
                if (!has || !type.startsWith("application/json")) {
                    throw refuse(label, "a JSON body (application/json) is required", e.page(), 422, 1005,
                            "One or more request parameter are invalid in the request.");
                }
                JsonNode body;
                try {
                    body = Json.mapper().readTree(raw);
                } catch (java.io.IOException x) {
                    throw refuse(label, "body is not JSON", e.page(), 400, 1001, "An error occurred parsing the JSON body");
                }
                boolean wantArray = e.body() == Body.JSON_ARRAY;
                if (body == null || body.isArray() != wantArray || (!wantArray && !body.isObject())) {
                    throw refuse(label, "body must be a JSON " + (wantArray ? "array" : "object"), e.page(), 422, 1005,
                            "One or more request parameter are invalid in the request.");
                }
                if (!wantArray) {
                    if (!e.bodyFields().isEmpty()) {
                        body.fieldNames().forEachRemaining(f -> {
                            if (!e.bodyFields().contains(f)) {
                                violation(label, "body field '" + f + "' is not documented", e.page(), null);
                            }
                        });
                    }
                    for (String f : e.requiredBody()) {
                        if (!body.hasNonNull(f)) {
                            throw refuse(label, "required body field '" + f + "' missing", e.page(), 422, 1005,
                                    "One or more request parameter are invalid in the request: " + f);
                        }
                    }
                }
                return body;
            }
        }
    }

    // ---- helpers for the pages -----------------------------------------------------------------------------------

    ResponseDefinition violation(String request, String rule, String page, ResponseDefinition answer) {
        violations.add(new Violation(request, rule, page));
        return answer;
    }

    /** A refusal caused by a request that breaks the page: answered and recorded. */
    Refused refuse(String request, String rule, String page, int status, int code, String message) {
        violations.add(new Violation(request, rule, page));
        return new Refused(error(status, code, message));
    }

    Refused refuse(Call c, String rule, int status, int code, String message) {
        return refuse(c.label(), rule, c.endpoint().page(), status, code, message);
    }

    List<ObjectNode> rows(String path) {
        return tables.computeIfAbsent(path, p -> new ArrayList<>());
    }

    ObjectNode byId(String path, String id) {
        for (ObjectNode o : rows(path)) {
            if (o.path("id").asText().equals(id)) {
                return o;
            }
        }
        return null;
    }

    /** A list answer: filter, then the Range header's slice with Content-Range, then fields. */
    ResponseDefinition list(Call c, List<ObjectNode> rows) {
        QradarFilter filter = QradarFilter.parse(c.query("filter"));
        if (filter == null) {
            throw refuse(c, "filter is not QRadar filter syntax: " + c.query("filter"), 422, 1010,
                    "An error occurred while building the filter.");
        }
        List<ObjectNode> matched = new ArrayList<>();
        for (ObjectNode row : rows) {
            if (filter.matches(row)) {
                matched.add(row);
            }
        }
        int[] range = range(c, matched.size());
        ArrayNode out = Json.mapper().createArrayNode();
        for (int i = range[0]; i <= range[1] && i < matched.size(); i++) {
            out.add(project(visible(matched.get(i)), c.query("fields")));
        }
        ResponseDefinitionBuilder b = builder(200, out);
        if (c.request().getHeader("Range") != null) {
            b.withHeader("Content-Range", "items " + range[0] + "-" + Math.min(range[1], matched.size() - 1) + "/"
                    + matched.size());
        }
        return b.build();
    }

    /** {@code Range: items=x-y} (inclusive, from zero), or everything. */
    int[] range(Call c, int size) {
        String h = c.request().getHeader("Range");
        if (h == null) {
            return new int[] {0, Integer.MAX_VALUE - 1};
        }
        var m = java.util.regex.Pattern.compile("items=(\\d+)-(\\d+)").matcher(h.trim());
        if (!m.matches() || Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
            throw refuse(c, "Range must be items=x-y", 422, 1005, "Invalid Range header");
        }
        return new int[] {Integer.parseInt(m.group(1)), (int) Math.min(Integer.MAX_VALUE - 1, Long.parseLong(m.group(2)))};
    }

    ResponseDefinition one(Call c, ObjectNode row) {
        return json(200, project(visible(row), c.query("fields")));
    }

    /** Keys starting with '_' are the fake's own bookkeeping, never part of an answer. */
    static ObjectNode visible(ObjectNode row) {
        ObjectNode copy = row.deepCopy();
        List<String> hidden = new ArrayList<>();
        copy.fieldNames().forEachRemaining(f -> {
            if (f.startsWith("_")) {
                hidden.add(f);
            }
        });
        copy.remove(hidden);
        return copy;
    }

    /** The {@code fields} parameter, top-level names (a name with subfields in brackets keeps its whole value). */
    static ObjectNode project(ObjectNode row, String fields) {
        if (fields == null || fields.isBlank()) {
            return row;
        }
        Set<String> keep = new java.util.HashSet<>();
        int depth = 0;
        StringBuilder name = new StringBuilder();
        for (char ch : (fields + ",").toCharArray()) {
            if (ch == '(') {
                depth++;
            } else if (ch == ')') {
                depth--;
            } else if (ch == ',' && depth == 0) {
                keep.add(name.toString().trim());
                name.setLength(0);
            } else if (depth == 0) {
                name.append(ch);
            }
        }
        row.retain(keep);
        return row;
    }

    ObjectNode task(String name, Runnable onSuccess, boolean fails, String failure) {
        long id = ids.incrementAndGet();
        ObjectNode t = obj("id", id, "name", name, "status", "QUEUED", "message", "queued", "created_by", "API_token",
                "created", System.currentTimeMillis(), "_fails", fails, "_failure", failure, "_polls", 0);
        tasks.put(id, t);
        onTaskDone.put(id, onSuccess);
        return t;
    }

    /** A task moves on each time it is read: QUEUED, PROCESSING, then COMPLETED (or EXCEPTION). */
    ObjectNode advance(ObjectNode t) {
        int polls = t.path("_polls").asInt() + 1;
        t.put("_polls", polls);
        if (polls == 1) {
            t.put("status", "PROCESSING").put("started", System.currentTimeMillis());
        } else if (t.path("status").asText().equals("PROCESSING")) {
            if (t.path("_fails").asBoolean()) {
                t.put("status", "EXCEPTION").put("message", t.path("_failure").asText());
            } else {
                t.put("status", "COMPLETED").put("message", "completed");
                Runnable done = onTaskDone.remove(t.path("id").asLong());
                if (done != null) {
                    done.run();
                }
            }
            t.put("completed", System.currentTimeMillis());
        }
        return t;
    }

    static ObjectNode obj(Object... kv) {
        ObjectNode o = Json.mapper().createObjectNode();
        for (int i = 0; i < kv.length; i += 2) {
            o.set((String) kv[i], Json.mapper().valueToTree(kv[i + 1]));
        }
        return o;
    }

    static ResponseDefinitionBuilder builder(int status, JsonNode body) {
        return new ResponseDefinitionBuilder().withStatus(status).withHeader("Content-Type", "application/json")
                .withBody(body.toString());
    }

    static ResponseDefinition json(int status, JsonNode body) {
        return builder(status, body).build();
    }

    /** 204 from a page whose MIME type is text/plain: no body. */
    static ResponseDefinition noContent() {
        return new ResponseDefinitionBuilder().withStatus(204).build();
    }

    /** QRadar's error body (API overview: http_response, code, message, description, details). */
    public static ResponseDefinition error(int status, int code, String message) {
        ObjectNode e = obj("code", code, "message", message, "description", message);
        e.set("http_response", obj("code", status, "message", status == 404 ? "Not Found"
                : status == 401 ? "Unauthorized" : status == 409 ? "Conflict" : status == 422 ? "Unprocessable Entity"
                : "Error"));
        e.putObject("details");
        return json(status, e);
    }

    private static HttpHeaders withExtra(HttpHeaders headers, List<HttpHeader> extra) {
        List<HttpHeader> all = new ArrayList<>(headers == null ? List.of() : headers.all());
        all.addAll(extra);
        return new HttpHeaders(all);
    }
}
