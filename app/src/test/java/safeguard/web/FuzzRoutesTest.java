package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.access.LocalAdmin;
import safeguard.store.Store;

/**
 * Every route of App, as the admin, with malformed bodies: a fixed corpus (null, [], "x", invalid UTF-8...) plus
 * each route's own DTO with every field in turn replaced by a value of the wrong shape (nested nulls, huge numbers,
 * wrong types, very long strings). Whatever comes in, the answer is never a 5xx and always the API's JSON.
 */
class FuzzRoutesTest {
    static final String TARGET = "t1";
    static final String SET = "Confidential-Files";
    /** JSON tokens a template's value is replaced with; raw text, so numbers no Java type holds stay as sent. */
    static final List<String> WRONG = List.of("null", "[]", "{}", "\"x\"", "\"\"", "1.5", "-1", "0", "1e400",
            "99999999999999999999999999", "-99999999999999999999999999", "true", "[null]", "[[null]]",
            "{\"a\":null}", "\"\\u0000\"", "\"../..\"", "\"" + "x".repeat(100_000) + "\"", "[" + "1,".repeat(5_000) + "1]");
    static final List<byte[]> CORPUS = List.of(bytes(""), bytes("null"), bytes("[]"), bytes("\"x\""), bytes("{}"),
            bytes("0"), bytes("true"), bytes("{\"a\":null}"), bytes("[null,[null],{\"b\":null}]"), bytes("{"),
            bytes("{\"x\":"), bytes("1e99999"), bytes("\"" + "y".repeat(200_000) + "\""),
            new byte[] {(byte) 0xC3, (byte) 0x28}, new byte[] {'{', '"', 'n', '"', ':', '"', (byte) 0xFF, '"', '}'},
            new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF, '{', '}'}, new byte[] {0, 0, 0, 0});

    @TempDir
    Path tmp;

    record Route(String method, String path) {
    }

    /** The routes block of App, read from its source so that a new route is fuzzed without anyone listing it. */
    static List<Route> routes() throws Exception {
        String app = Files.readString(Path.of("src/main/java/safeguard/App.java"));
        Matcher m = Pattern.compile("cfg\\.routes\\.(get|post|put|delete|patch)\\(\"([^\"]+)\"").matcher(app);
        List<Route> out = new ArrayList<>();
        while (m.find()) {
            out.add(new Route(m.group(1).toUpperCase(java.util.Locale.ROOT), m.group(2)));
        }
        return out;
    }

    @Test
    void no_route_answers_malformed_input_with_a_5xx_or_anything_but_json() throws Exception {
        List<Route> routes = routes();
        assertTrue(routes.size() >= 25, "routes found: " + routes);
        try (LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            String base = "http://127.0.0.1:" + app.app().port();
            String admin = new LocalAdmin(Store.open(tmp.resolve("store")), java.time.Clock.systemUTC()).rotate();
            String actionToken = Json.mapper().readTree(send(base, "POST", "/api/action-token/reveal", new byte[0],
                    "Bearer " + admin).body()).get("token").asText();
            List<String> problems = new ArrayList<>();
            int sent = 0;
            for (Route r : routes) {
                sendOnFreshConnectionIfNeeded(base, "POST", "/api/targets", bytes(target().toString()), "Bearer " + admin); // again after a DELETE
                String path = r.path().replace("/api/targets/{name}", "/api/targets/" + TARGET)
                        .replace("{name}", SET).replace("{id}", "a-20261124-nope").replace("<value>", "x.csv");
                String auth = "Bearer " + (r.path().equals("/api/actions") && r.method().equals("POST") ? actionToken : admin);
                List<byte[]> bodies = new ArrayList<>(CORPUS);
                JsonNode template = template(r);
                if (template != null) {
                    mutations(template).forEach(b -> bodies.add(bytes(b)));
                }
                // A route that needs QRadar or a storage system answers 502 here whatever it is sent (none is
                // reachable): its well-formed request shows that, and such a 502 is not the input's doing.
                int baseline = sendOnFreshConnectionIfNeeded(base, r.method(), path, template == null ? new byte[0] : bytes(template.toString()),
                        auth).statusCode();
                for (byte[] body : bodies) {
                    HttpResponse<String> answer;
                    try {
                        answer = sendOnFreshConnectionIfNeeded(base, r.method(), path, body, auth);
                    } catch (java.io.IOException e) {
                        problems.add(r.method() + " " + path + " with " + shorten(new String(body, StandardCharsets.UTF_8))
                                + ": no answer (" + e.getMessage() + ")");
                        continue;
                    }
                    sent++;
                    String problem = problem(r, answer, baseline);
                    if (problem != null) {
                        problems.add(r.method() + " " + path + " with " + shorten(new String(body, StandardCharsets.UTF_8))
                                + ": " + problem);
                    }
                }
            }
            assertTrue(sent >= routes.size() * CORPUS.size() + 1_000, "only " + sent + " requests were answered");
            assertTrue(problems.isEmpty(), problems.size() + " of " + sent + " answers broke the contract:\n"
                    + String.join("\n", problems.subList(0, Math.min(40, problems.size()))));
        }
    }

    /** Null when the answer is fine. */
    private static String problem(Route r, HttpResponse<String> answer, int baseline) {
        int status = answer.statusCode();
        if (status >= 500 && !(status == 502 && baseline == 502)) {
            return "HTTP " + status + " " + shorten(answer.body());
        }
        if (status == 204 || r.path().equals("/debug")) {
            return null;
        }
        if (!answer.headers().firstValue("Content-Type").orElse("").startsWith("application/json")) {
            return "HTTP " + status + " is not JSON: " + answer.headers().firstValue("Content-Type").orElse("none");
        }
        try {
            JsonNode body = Json.mapper().readTree(answer.body());
            if (status >= 400 && (body == null || !body.path("error").isTextual())) {
                return "HTTP " + status + " without the error shape: " + shorten(answer.body());
            }
        } catch (Exception e) {
            return "HTTP " + status + " body is not JSON: " + shorten(answer.body());
        }
        return null;
    }

    static ObjectNode target() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.put("kind", "scale").put("name", TARGET).put("host", "127.0.0.1").put("port", 9).put("username", "u")
                .put("password", "p").put("dryRun", true).put("connectTimeoutSeconds", 1).put("requestTimeoutSeconds", 1);
        t.putObject("tls").put("mode", "verify").putNull("caPem");
        ObjectNode s = t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales")
                .put("snapshotPrefix", "sgc").put("retentionHours", 1).put("minIntervalSeconds", 0).put("clusterTimeZone", "UTC");
        s.putArray("filesets").add("sales");
        t.putObject("csm").put("session", "S").put("command", "Backup").put("scheduledTask", "T").putArray("allowedSessions").add("S2");
        t.putObject("cdm").put("jobName", "J").put("pollIntervalSeconds", 1).put("timeoutSeconds", 10).putArray("allowedJobs").add("J2");
        return t;
    }

    private static JsonNode template(Route r) {
        String key = r.method() + " " + r.path();
        Map<String, String> templates = new LinkedHashMap<>();
        templates.put("POST /api/targets", target().toString());
        templates.put("PUT /api/targets/{name}", target().toString());
        templates.put("PUT /api/settings", "{\"coalesceWindowSeconds\":60,\"dryRunAll\":false,\"logSourceHosts\":[\"h1\"],"
                + "\"actionServiceRoleId\":1,\"actionServiceProfileId\":1,\"actionServiceDays\":30}");
        templates.put("POST /api/reference-sets/{name}/elements", "{\"values\":[\"a.csv\"]}");
        templates.put("POST /api/session", "{\"token\":\"sga_x\"}");
        templates.put("POST /api/actions", "{\"type\":\"scale-snapshot\",\"target\":\"" + TARGET + "\",\"context\":{\"rule\":\"r\","
                + "\"user\":\"u\",\"path\":\"/p\",\"filename\":\"f\",\"eventTime\":\"e\",\"offenseId\":\"1\"},"
                + "\"idempotencyKey\":\"k\",\"fileset\":\"sales\",\"session\":\"s\",\"job\":\"j\"}");
        String t = templates.get(key);
        try {
            return t == null ? null : Json.mapper().readTree(t);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The template with one value at a time replaced by each wrong token, and with each field left out. */
    static List<String> mutations(JsonNode template) {
        List<String> out = new ArrayList<>();
        List<String> pointers = new ArrayList<>();
        collect(template, "", pointers);
        for (String pointer : pointers) {
            for (String wrong : WRONG) {
                JsonNode copy = template.deepCopy();
                replace(copy, pointer, "__WRONG__");
                out.add(copy.toString().replace("\"__WRONG__\"", wrong));
            }
            JsonNode without = template.deepCopy();
            remove(without, pointer);
            out.add(without.toString());
        }
        return out;
    }

    private static void collect(JsonNode n, String at, List<String> out) {
        if (n.isObject()) {
            n.fieldNames().forEachRemaining(f -> {
                out.add(at + "/" + f);
                collect(n.get(f), at + "/" + f, out);
            });
        } else if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                out.add(at + "/" + i);
                collect(n.get(i), at + "/" + i, out);
            }
        }
    }

    private static void replace(JsonNode root, String pointer, String marker) {
        int cut = pointer.lastIndexOf('/');
        JsonNode parent = cut == 0 ? root : root.at(pointer.substring(0, cut));
        String last = pointer.substring(cut + 1);
        if (parent instanceof ObjectNode o) {
            o.put(last, marker);
        } else if (parent instanceof ArrayNode a) {
            a.set(Integer.parseInt(last), Json.mapper().getNodeFactory().textNode(marker));
        }
    }

    private static void remove(JsonNode root, String pointer) {
        int cut = pointer.lastIndexOf('/');
        JsonNode parent = cut == 0 ? root : root.at(pointer.substring(0, cut));
        String last = pointer.substring(cut + 1);
        if (parent instanceof ObjectNode o) {
            o.remove(last);
        } else if (parent instanceof ArrayNode a) {
            a.remove(Integer.parseInt(last));
        }
    }

    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /**
     * When a handler ignores a large body, Jetty answers and then closes the connection instead of reading the
     * rest; a client that reused it meanwhile sees no answer. A second try goes on a new connection.
     */
    private static HttpResponse<String> sendOnFreshConnectionIfNeeded(String base, String method, String path,
                                                                    byte[] body, String auth) throws Exception {
        try {
            return send(base, method, path, body, auth);
        } catch (java.io.IOException closedUnderUs) {
            return send(base, method, path, body, auth);
        }
    }

    private static HttpResponse<String> send(String base, String method, String path, byte[] body, String auth)
            throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(20))
                .header("Content-Type", "application/json").header("Accept", "application/json")
                .header("Authorization", auth)
                .method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        return CLIENT.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String shorten(String s) {
        return s.length() <= 120 ? s : s.substring(0, 117) + "…";
    }
}
