package safeguard.docs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.access.LocalAdmin;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/**
 * Every example in docs/api.md is sent, in the order written, to a fresh app (outside QRadar), and its answer
 * must match what the page says: the status, and the JSON where {@code "…"} stands for any value, an array
 * ending in {@code "…"} for more elements, and a {@code "…": "…"} member for more members. So the reference
 * cannot drift from the code.
 *
 * <p>An example is a fenced {@code http} block (request line, headers, blank line, body) followed by a fenced
 * block whose info string is {@code json STATUS} or {@code text STATUS}. Placeholders: {@code <admin token>},
 * {@code <action token>} (revealed once by an earlier example, or revealed here), {@code <action id>} (the id
 * the last {@code POST /api/actions} answered, in the path or the body). Requests carry the admin token unless they name their own
 * Authorization or say {@code Authorization: none}. Run with {@code -Ddocs.record=true} to print what the app
 * answered instead of failing, when writing a new example.
 */
class DocExamplesTest {
    static final Path API = Path.of("..", "docs", "api.md");
    static final Pattern BLOCK = Pattern.compile("```http\\n(.*?)\\n```\\s*\\n```(json|text) (\\d{3})\\n(.*?)```", Pattern.DOTALL);
    static final String ANY = "…";

    @TempDir
    Path tmp;
    Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void every_example_in_the_api_reference_gets_the_answer_it_shows() throws Exception {
        String page = Files.readString(API);
        Path storeDir = tmp.resolve("store");
        String admin = new LocalAdmin(Store.open(storeDir), Clock.systemUTC()).rotate();
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(storeDir), Clock.systemUTC(), null,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        HttpClient http = HttpClient.newHttpClient();
        boolean record = Boolean.getBoolean("docs.record");
        String actionToken = null;
        String actionId = null;
        List<String> failures = new ArrayList<>();
        Matcher m = BLOCK.matcher(page);
        int examples = 0;
        while (m.find()) {
            examples++;
            String[] headAndBody = m.group(1).split("\\n\\n", 2);
            String[] lines = headAndBody[0].split("\\n");
            String[] requestLine = lines[0].split(" ", 2);
            String body = headAndBody.length > 1 ? headAndBody[1].trim() : null;
            if (actionToken == null && (m.group(1).contains("<action token>"))) {
                actionToken = revealOrRotate(http, admin);
            }
            String path = requestLine[1].replace("<action id>", String.valueOf(actionId));
            HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port() + path))
                    .timeout(Duration.ofSeconds(20));
            boolean ownAuth = false;
            for (int i = 1; i < lines.length; i++) {
                String[] h = lines[i].split(":\\s*", 2);
                if (h[0].equalsIgnoreCase("Authorization")) {
                    ownAuth = true;
                    if (h[1].equals("none")) {
                        continue;
                    }
                }
                req.header(h[0], fill(h[1], admin, actionToken));
            }
            if (!ownAuth) {
                req.header("Authorization", "Bearer " + admin);
            }
            req.method(requestLine[0], body == null ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(fill(body, admin, actionToken).replace("<action id>", String.valueOf(actionId))));
            HttpResponse<String> r = http.send(req.build(), HttpResponse.BodyHandlers.ofString());
            if (lines[0].startsWith("POST /api/actions") && r.statusCode() == 202) {
                actionId = Json.mapper().readTree(r.body()).get("id").asText();
                awaitFinished(http, admin, actionId);
            }
            if (lines[0].startsWith("POST /api/action-token/") && r.statusCode() == 200) {
                actionToken = Json.mapper().readTree(r.body()).get("token").asText();
            }
            String where = lines[0] + " (example " + examples + ")";
            if (record) {
                System.out.println("### " + where + "\n" + r.statusCode() + "\n" + pretty(r.body()));
                continue;
            }
            int status = Integer.parseInt(m.group(3));
            if (status != r.statusCode()) {
                failures.add(where + ": status " + r.statusCode() + ", the page says " + status + "; body " + r.body());
                continue;
            }
            String expected = m.group(4).trim();
            if (m.group(2).equals("json") && !expected.isEmpty()) {
                List<String> diffs = new ArrayList<>();
                match(Json.mapper().readTree(expected), Json.mapper().readTree(r.body()), "$", diffs);
                diffs.forEach(d -> failures.add(where + ": " + d + "; body " + r.body()));
            } else if (m.group(2).equals("text")) {
                if (!r.body().trim().equals(expected)) {
                    failures.add(where + ": body '" + r.body() + "', the page says '" + expected + "'");
                }
            }
        }
        assertTrue(examples >= 30, "found only " + examples + " examples in " + API);
        assertEquals(List.of(), failures);
    }

    @Test
    void every_route_of_the_app_has_its_section_in_the_api_reference() throws Exception {
        String page = Files.readString(API);
        String routes = Files.readString(Path.of("src/main/java/safeguard/App.java"));
        Matcher r = Pattern.compile("cfg\\.routes\\.(get|post|put|delete)\\(\"([^\"]+)\"").matcher(routes);
        List<String> missing = new ArrayList<>();
        int n = 0;
        while (r.find()) {
            n++;
            String method = r.group(1).toUpperCase(java.util.Locale.ROOT);
            String path = r.group(2).replaceAll("<(\\w+)>", "{$1}");

            boolean found = page.lines().filter(l -> l.startsWith("### `")).anyMatch(l -> {
                String route = l.substring(5, l.indexOf('`', 5));
                return route.startsWith(method + " ") && route.substring(method.length() + 1).replaceAll("\\[.*\\]$", "").replaceAll("\\?.*$", "").equals(path);
            }) || page.contains("### `" + method + " " + path + "`") || page.contains("`" + method + " " + path + "`");
            if (!found) {
                missing.add(method + " " + path);
            }
        }
        assertTrue(n >= 30, "read only " + n + " routes from App.java");
        assertEquals(List.of(), missing, "routes without a section in " + API);
    }

    @Test
    void every_relative_link_and_picture_in_the_readme_and_docs_points_to_a_file() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (var docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
        }
        List<String> broken = new ArrayList<>();
        Pattern link = Pattern.compile("\\]\\(([^)#\\s]+)(#[^)]*)?\\)");
        for (Path page : pages) {
            Matcher l = link.matcher(Files.readString(page));
            while (l.find()) {
                String target = l.group(1);
                if (!target.startsWith("http") && !Files.exists(page.getParent().resolve(target))) {
                    broken.add(root.relativize(page) + " -> " + target);
                }
            }
        }
        assertTrue(pages.size() >= 5, pages.toString());
        assertEquals(List.of(), broken);
    }

    private String revealOrRotate(HttpClient http, String admin) throws Exception {
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                        + "/api/action-token/rotate")).header("Authorization", "Bearer " + admin)
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        return Json.mapper().readTree(r.body()).get("token").asText();
    }

    private void awaitFinished(HttpClient http, String admin, String id) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + app.port()
                    + "/api/actions/" + id)).header("Authorization", "Bearer " + admin).build(), HttpResponse.BodyHandlers.ofString());
            String status = Json.mapper().readTree(r.body()).at("/action/status").asText();
            if (!status.equals("accepted") && !status.equals("running")) {
                return;
            }
            Thread.sleep(20);
        }
    }

    private static String fill(String s, String admin, String actionToken) {
        return s.replace("<admin token>", admin).replace("<action token>", String.valueOf(actionToken));
    }

    private static String pretty(String body) {
        try {
            return Json.mapper().writeValueAsString(Json.mapper().readTree(body));
        } catch (Exception e) {
            return body;
        }
    }

    static void match(JsonNode doc, JsonNode actual, String at, List<String> diffs) {
        if (doc.isTextual() && doc.asText().equals(ANY)) {
            return;
        }
        if (doc.isObject()) {
            if (!actual.isObject()) {
                diffs.add(at + " is " + actual + ", the page shows an object");
                return;
            }
            boolean more = doc.has(ANY);
            for (Iterator<Map.Entry<String, JsonNode>> it = doc.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (e.getKey().equals(ANY)) {
                    continue;
                }
                if (!actual.has(e.getKey())) {
                    diffs.add(at + "." + e.getKey() + " is missing");
                } else {
                    match(e.getValue(), actual.get(e.getKey()), at + "." + e.getKey(), diffs);
                }
            }
            if (!more) {
                actual.fieldNames().forEachRemaining(k -> {
                    if (!doc.has(k)) {
                        diffs.add(at + "." + k + " is not on the page");
                    }
                });
            }
            return;
        }
        if (doc.isArray()) {
            if (!actual.isArray()) {
                diffs.add(at + " is " + actual + ", the page shows an array");
                return;
            }
            boolean more = doc.size() > 0 && doc.get(doc.size() - 1).isTextual() && doc.get(doc.size() - 1).asText().equals(ANY);
            int shown = more ? doc.size() - 1 : doc.size();
            if (more ? actual.size() < shown : actual.size() != shown) {
                diffs.add(at + " has " + actual.size() + " elements, the page shows " + shown + (more ? " or more" : ""));
                return;
            }
            for (int i = 0; i < shown; i++) {
                match(doc.get(i), actual.get(i), at + "[" + i + "]", diffs);
            }
            return;
        }
        if (!doc.equals(actual) && !(doc.isNumber() && actual.isNumber() && doc.asDouble() == actual.asDouble())) {
            diffs.add(at + " is " + actual + ", the page shows " + doc);
        }
    }
}
