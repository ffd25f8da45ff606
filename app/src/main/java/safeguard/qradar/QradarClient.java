package safeguard.qradar;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
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
 * The console's REST API, as the app's authorised service: {@code SEC} token, a pinned {@code Version}, TLS
 * verified against the JVM's CAs plus QRadar's {@code REQUESTS_CA_BUNDLE}, the QRadar proxy when one is set.
 */
public final class QradarClient implements AutoCloseable {
    /** QRadar 7.5.0 GA; every endpoint the app uses is documented there. */
    static final String API_VERSION = "17.0";

    private final UnirestInstance http;
    private final String baseUrl;
    private final RetryPolicy retry;

    public QradarClient(String baseUrl, String secToken, SSLContext ssl, ProxySettings proxy, RetryPolicy retry) {
        this.baseUrl = baseUrl.endsWith("/") ? baseUrl.substring(0, baseUrl.length() - 1) : baseUrl;
        this.retry = retry;
        this.http = Unirest.spawnInstance();
        http.config()
                .connectTimeout(10_000)
                .requestTimeout(60_000)
                .followRedirects(false)
                .setDefaultHeader("Version", API_VERSION)
                .setDefaultHeader("Accept", "application/json");
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
        return console(config, null, new RetryPolicy(2, java.time.Duration.ofMillis(200), java.time.Duration.ofMillis(200),
                RetryPolicy.REAL_SLEEP));
    }

    private static QradarClient console(AppConfig config, String token, RetryPolicy retry) {
        SSLContext ssl = TlsTrust.systemPlus(config.caBundle().map(List::of).orElse(List.<Path>of()));
        return new QradarClient("https://" + config.consoleFqdn().get() + "/api", token, ssl, config.httpsProxy(), retry);
    }

    public JsonNode get(String path, Map<String, Object> query) {
        return call(() -> http.get(baseUrl + path).queryString(query));
    }

    /** A read as someone else: their {@code SEC} session token instead of the app's. */
    public JsonNode getAs(String sec, String path, Map<String, Object> query) {
        return call(() -> http.get(baseUrl + path).headerReplace("SEC", sec).queryString(query));
    }

    public JsonNode post(String path, Map<String, Object> query, Object body) {
        return call(() -> {
            HttpRequestWithBody r = http.post(baseUrl + path);
            r.queryString(query);
            if (body == null) {
                return r;
            }
            try {
                return r.header("Content-Type", "application/json").body(Json.mapper().writeValueAsString(body));
            } catch (JsonProcessingException e) {
                throw new IllegalArgumentException(e);
            }
        });
    }

    /** A file upload the way QRadar's custom-action scripts endpoint takes it: raw bytes, name in a header. */
    public JsonNode upload(String path, String fileName, byte[] content) {
        return call(() -> http.post(baseUrl + path).header("Content-Type", "application/octet-stream")
                .header("file_name", fileName).body(content));
    }

    public JsonNode delete(String path) {
        return call(() -> http.delete(baseUrl + path));
    }

    private JsonNode call(java.util.function.Supplier<HttpRequest<?>> request) {
        for (int attempt = 1; ; attempt++) {
            int status;
            String body;
            try {
                HttpResponse<String> r = request.get().asString();
                status = r.getStatus();
                body = r.getBody();
            } catch (UnirestException e) {
                if (attempt >= retry.maxAttempts()) {
                    throw new QradarException(0, 0, "QRadar console unreachable: " + Faults.describe(e));
                }
                retry.pause(attempt);
                continue;
            }
            if (status >= 200 && status < 300) {
                return parse(body);
            }
            if (!RetryPolicy.isTransient(status) || attempt >= retry.maxAttempts()) {
                throw error(status, body);
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
