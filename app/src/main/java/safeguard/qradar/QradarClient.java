package safeguard.qradar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.HttpRequestWithBody;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import safeguard.AppConfig;
import safeguard.Json;
import safeguard.ProxySettings;
import safeguard.http.Faults;
import safeguard.http.RetryPolicy;
import safeguard.http.TlsTrust;

/**
 * The console's REST API, as the app's authorised service: {@code SEC} token, the newest API {@code Version} the
 * console and the app both know (read once from {@code /help/versions}), the MIME type each page documents in
 * {@code Accept}, TLS verified against the JVM's CAs plus QRadar's {@code REQUESTS_CA_BUNDLE}, the QRadar proxy
 * when one is set.
 */
public final class QradarClient implements AutoCloseable {
    /**
     * API versions whose pages the app's calls were checked against, newest first. 26.0 is QRadar 7.5.0 UP12; the
     * floor, 20.0, is the oldest the app accepts (its image, qradar-app-base 4, needs 7.5.0 UP7 or later).
     */
    public static final List<String> KNOWN_VERSIONS = List.of("26.0", "25.0", "24.0", "23.0", "22.0", "21.0", "20.0");
    static final String JSON = "application/json";
    static final String TEXT = "text/plain";
    /** Lists are read in pages of this many items ({@code Range: items=x-y}). */
    static final int PAGE = 500;
    static final int TASK_POLLS = 60;
    static final Duration TASK_POLL_EVERY = Duration.ofMillis(500);

    private final UnirestInstance http;
    private final String baseUrl;
    private final RetryPolicy retry;
    private volatile String version;
    private volatile boolean deprecatedSeen;

    private record Answer(int status, JsonNode body, kong.unirest.core.Headers headers) {
    }

    public QradarClient(String baseUrl, String secToken, SSLContext ssl, ProxySettings proxy, RetryPolicy retry) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.retry = retry;
        this.http = Unirest.spawnInstance();
        http.config()
                .connectTimeout(10_000)
                .requestTimeout(60_000)
                .followRedirects(false);
        if (secToken != null) {
            http.config().setDefaultHeader("SEC", secToken);
        }
        if (ssl != null) {
            http.config().sslContext(ssl);
        }
        String host = java.net.URI.create(this.baseUrl).getHost();
        if (proxy.enabled() && !proxy.bypasses(host)) {
            http.config().proxy(proxy.host(), proxy.port(), proxy.username(), proxy.password());
        }
    }

    /** The console of the QRadar the app runs in, or null outside QRadar or before an admin authorised the app. */
    public static QradarClient forConsole(AppConfig config, RetryPolicy retry) {
        if (config.consoleFqdn().isEmpty() || config.adminToken().isEmpty()) {
            return null;
        }
        return console(config, config.adminToken().get(), retry);
    }

    /**
     * The console with no token of its own, to ask on behalf of the person using the tab ({@link #getAs}); null
     * outside QRadar. One quick retry: someone is waiting for the page.
     */
    public static QradarClient forUsers(AppConfig config) {
        if (config.consoleFqdn().isEmpty()) {
            return null;
        }
        return console(config, null, new RetryPolicy(2, Duration.ofMillis(200), Duration.ofMillis(200),
                RetryPolicy.REAL_SLEEP));
    }

    private static QradarClient console(AppConfig config, String token, RetryPolicy retry) {
        SSLContext ssl = TlsTrust.systemPlus(config.caBundle().map(List::of).orElse(List.<Path>of()));
        return new QradarClient("https://" + config.consoleFqdn().get() + "/api", token, ssl, config.httpsProxy(), retry);
    }

    /** The API version in use, or null before the first call. */
    public String apiVersion() {
        return version;
    }

    /** Whether the console marked an answer {@code Deprecated}: the version in use is on its way out. */
    public boolean deprecatedSeen() {
        return deprecatedSeen;
    }

    /**
     * Picks the newest version the app knows that the console lists and has not removed, preferring one it has
     * not deprecated. Asked without a Version header: the console then answers with its own newest API.
     */
    private String version(String sec) {
        String v = version;
        if (v != null) {
            return v;
        }
        synchronized (this) {
            if (version == null) {
                JsonNode offered = send(() -> withSec(http.get(baseUrl + "/help/versions"), sec)
                        .header("Accept", JSON).queryString("fields", "version,deprecated,removed")).body();
                version = choose(offered);
            }
            return version;
        }
    }

    static String choose(JsonNode offered) {
        String deprecatedChoice = null;
        StringBuilder listed = new StringBuilder();
        for (String known : KNOWN_VERSIONS) {
            for (JsonNode v : offered) {
                if (!sameVersion(v.path("version").asText(), known) || v.path("removed").asBoolean(false)) {
                    continue;
                }
                if (!v.path("deprecated").asBoolean(false)) {
                    return known;
                }
                if (deprecatedChoice == null) {
                    deprecatedChoice = known;
                }
            }
        }
        if (deprecatedChoice != null) {
            return deprecatedChoice;
        }
        offered.forEach(v -> listed.append(listed.length() == 0 ? "" : ", ").append(v.path("version").asText()));
        throw new QradarException(0, 0, "this console offers API versions " + listed + "; the app needs one of "
                + KNOWN_VERSIONS.get(KNOWN_VERSIONS.size() - 1) + " to " + KNOWN_VERSIONS.get(0)
                + " (QRadar 7.5.0 UP7 or later)");
    }

    private static boolean sameVersion(String a, String b) {
        return a.equals(b) || (a + ".0").equals(b) || a.equals(b + ".0");
    }

    public JsonNode get(String path, Map<String, Object> query) {
        return call(null, () -> http.get(baseUrl + path).queryString(query).header("Accept", JSON)).body();
    }

    /** Every item of a list, read in pages with {@code Range} so a long list is never cut to a first slice. */
    public List<JsonNode> getAll(String path, Map<String, Object> query) {
        List<JsonNode> all = new java.util.ArrayList<>();
        for (int from = 0; ; from += PAGE) {
            int start = from;
            JsonNode page = call(null, () -> http.get(baseUrl + path).queryString(query).header("Accept", JSON)
                    .header("Range", "items=" + start + "-" + (start + PAGE - 1))).body();
            page.forEach(all::add);
            if (!page.isArray() || page.size() < PAGE) {
                return all;
            }
        }
    }

    /** One slice of a list or of a reference set's elements: items {@code from} to {@code to}, inclusive. */
    public JsonNode getRange(String path, Map<String, Object> query, int from, int to) {
        return call(null, () -> http.get(baseUrl + path).queryString(query).header("Accept", JSON)
                .header("Range", "items=" + from + "-" + to)).body();
    }

    /** A read as someone else: their {@code SEC} session token instead of the app's. */
    public JsonNode getAs(String sec, String path, Map<String, Object> query) {
        return call(sec, () -> http.get(baseUrl + path).headerReplace("SEC", sec).queryString(query)
                .header("Accept", JSON)).body();
    }

    public JsonNode post(String path, Map<String, Object> query, Object body) {
        return call(null, () -> {
            HttpRequestWithBody r = http.post(baseUrl + path);
            r.queryString(query);
            r.header("Accept", JSON);
            if (body == null) {
                return r;
            }
            try {
                return r.header("Content-Type", JSON).body(Json.mapper().writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        }).body();
    }

    /**
     * A POST sent exactly once, whatever happens: a lost answer (timeout, 5xx) may hide a write that was done, so
     * the caller looks before it sends again (offense notes must never be doubled).
     */
    public JsonNode postOnce(String path, Map<String, Object> query) {
        String v = version(null);
        return send(() -> http.post(baseUrl + path).queryString(query).header("Accept", JSON).header("Version", v), 1)
                .body();
    }

    /** A file upload the way QRadar's custom-action scripts endpoint takes it: raw bytes, name in a header. */
    public JsonNode upload(String path, String fileName, byte[] content) {
        return call(null, () -> http.post(baseUrl + path).header("Content-Type", "application/octet-stream")
                .header("Accept", JSON).header("file_name", fileName).body(content)).body();
    }

    /** A DELETE whose page documents 204 with MIME text/plain (expressions, custom actions, scripts, types). */
    public void delete(String path) {
        call(null, () -> http.delete(baseUrl + path).header("Accept", TEXT));
    }

    /** A DELETE that returns a JSON answer at once (e.g. a reference set value). */
    public JsonNode deleteJson(String path) {
        return call(null, () -> http.delete(baseUrl + path).header("Accept", JSON)).body();
    }

    /**
     * An asynchronous DELETE (202 and a task): polls the task (the Location header, else {@code taskPath/id}) until
     * it completes; a task that ends otherwise, or outlasts the polls, is a failure with QRadar's message.
     */
    public void deleteAndWait(String path, String taskPath) {
        Answer a = call(null, () -> http.delete(baseUrl + path).header("Accept", JSON));
        JsonNode task = a.body();
        String location = a.headers().getFirst("Location");
        String poll = location != null && location.startsWith("/api/") ? location.substring(4)
                : taskPath + "/" + task.path("id").asText();
        for (int i = 0; i < TASK_POLLS; i++) {
            String status = task.path("status").asText("");
            if (status.equals("COMPLETED")) {
                return;
            }
            if (List.of("CANCELLED", "CONFLICT", "EXCEPTION", "INTERRUPTED").contains(status)) {
                throw new QradarException(409, 0, "QRadar's task ended " + status + ": " + task.path("message").asText(""));
            }
            if (i > 0) {
                pause(TASK_POLL_EVERY);
            }
            task = get(poll, Map.of());
        }
        throw new QradarException(0, 0, "QRadar's task " + poll + " had not completed after " + TASK_POLLS + " checks");
    }

    private void pause(Duration d) {
        try {
            retry.sleeper().sleep(d);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new QradarException(0, 0, "interrupted while waiting for a QRadar task");
        }
    }

    private static HttpRequest<?> withSec(HttpRequest<?> r, String sec) {
        return sec == null ? r : r.headerReplace("SEC", sec);
    }

    private Answer call(String sec, Supplier<HttpRequest<?>> request) {
        String v = version(sec);
        return send(() -> request.get().header("Version", v));
    }

    private Answer send(Supplier<HttpRequest<?>> request) {
        return send(request, retry.maxAttempts());
    }

    private Answer send(Supplier<HttpRequest<?>> request, int maxAttempts) {
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r;
            try {
                r = request.get().asString();
            } catch (UnirestException e) {
                if (attempt >= maxAttempts) {
                    throw new QradarException(0, 0, "QRadar console unreachable: " + Faults.describe(e));
                }
                retry.pause(attempt);
                continue;
            }
            int status = r.getStatus();
            if (status >= 200 && status < 300) {
                if (r.getHeaders().containsKey("Deprecated")) {
                    deprecatedSeen = true;
                }
                return new Answer(status, parse(r.getBody()), r.getHeaders());
            }
            if (!RetryPolicy.isTransient(status) || attempt >= maxAttempts) {
                throw error(status, r.getBody());
            }
            retry.pause(attempt);
        }
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return Json.mapper().nullNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            throw new QradarException(200, 0, "QRadar answered with a body that is not JSON");
        }
    }

    private static QradarException error(int status, String body) {
        int code = 0;
        String message = "HTTP " + status;
        try {
            JsonNode e = Json.mapper().readTree(body == null ? "" : body);
            if (e != null && e.isObject()) {
                code = e.path("code").asInt(0);
                String text = e.path("message").asText(e.path("description").asText(""));
                if (!text.isBlank()) {
                    message = "HTTP " + status + (code > 0 ? " (code " + code + ")" : "") + ": " + text;
                }
            }
        } catch (JsonProcessingException notJson) {
            // keep the status line only: a proxy's HTML error page says nothing useful
        }
        return new QradarException(status, code, message);
    }

    @Override
    public void close() {
        http.close();
    }
}
