package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.http.Request;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The console's app proxy, as App Framework v2 documents it: an app is reachable only through
 * {@code https://<console>/console/plugins/<app_id>/app_proxy/<path>} ("GUI application framework fundamentals");
 * the proxy lets a request through only with a valid {@code SEC} (a user's session cookie, or a token as the
 * {@code SEC} header); with {@code use_qradar_csrf} every POST, PUT, DELETE and PATCH that is not from an
 * authorized service or an internal QRadar process must carry a valid {@code QRadarCSRF} header, else 403
 * ({@code qradar_csrf.md}). It forwards the request, SEC cookie or header included.
 */
final class AppProxy {
    private static final Pattern PATH = Pattern.compile("/console/plugins/([^/]+)/app_proxy(/.*)?");
    private static final Set<String> CHANGES = Set.of("POST", "PUT", "DELETE", "PATCH");
    private static final List<String> FORWARDED = List.of("Authorization", "Content-Type", "Accept", "SEC", "Cookie",
            "QRadarCSRF", "X-Requested-With");

    private final FakeConsole c;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    AppProxy(FakeConsole console) {
        this.c = console;
    }

    ResponseDefinition forward(Request r, URI uri) {
        c.proxied.incrementAndGet();
        String method = r.getMethod().getName();
        Matcher m = PATH.matcher(uri.getRawPath());
        String target;
        synchronized (c) {
            if (!m.matches() || (target = c.apps.get(m.group(1))) == null) {
                return error(404, 1002, "No such application");
            }
            String sec = r.getHeader("SEC") != null ? r.getHeader("SEC") : cookie(r, "SEC");
            boolean service = sec != null && c.validTokens.contains(sec);
            ObjectNode session = sec == null ? null : c.sessions.get(sec);
            if (!service && session == null) {
                return error(401, 22, sec == null ? "No SEC token" : "Invalid SEC token");
            }
            if (!service && CHANGES.contains(method)
                    && !session.path("_csrf").asText().equals(r.getHeader("QRadarCSRF"))) {
                return error(403, 1, "Invalid or missing QRadarCSRF header");
            }
            if (service) {
                for (ObjectNode s : c.rows(AccessPages.SERVICES)) {
                    if (s.path("_token").asText().equals(sec)) {
                        s.put("last_used_date", System.currentTimeMillis());
                    }
                }
            }
        }
        String rest = m.group(2) == null ? "/" : m.group(2);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(target + rest
                + (uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery()))).timeout(Duration.ofSeconds(30));
        byte[] body = r.getBody() == null ? new byte[0] : r.getBody();
        b.method(method, body.length == 0 ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        for (String h : FORWARDED) {
            if (r.getHeader(h) != null) {
                b.header(h, r.getHeader(h));
            }
        }
        try {
            HttpResponse<byte[]> a = http.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
            ResponseDefinitionBuilder out = new ResponseDefinitionBuilder().withStatus(a.statusCode()).withBody(a.body());
            a.headers().firstValue("Content-Type").ifPresent(t -> out.withHeader("Content-Type", t));
            return out.build();
        } catch (java.io.IOException e) {
            return error(502, 0, "The application is not responding");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return error(502, 0, "interrupted");
        }
    }

    private static String cookie(Request r, String name) {
        var c = r.getCookies().get(name);
        return c == null ? null : c.firstValue();
    }
}
