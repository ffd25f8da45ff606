package safeguard;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.http.TlsTrust;

/**
 * Plain HTTP against a storage simulator, trusting its test certificate: for tests of the simulators themselves,
 * which must see exactly what they send (paths stay as written, so "%2F" reaches the simulator encoded).
 */
public final class SimulatorHttp {
    /** A reply: status and body. */
    public record Reply(int status, String body) {
        public JsonNode json() {
            try {
                return Json.mapper().readTree(body == null || body.isEmpty() ? "null" : body);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    private static HttpClient shared;
    private final String base;
    private final Map<String, String> headers;

    public SimulatorHttp(StorageSimulator sim) {
        this("https://localhost:" + sim.port(), Map.of());
    }

    private SimulatorHttp(String base, Map<String, String> headers) {
        this.base = base;
        this.headers = headers;
    }

    private static synchronized HttpClient client() {
        if (shared == null) {
            shared = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
                    .sslContext(TlsTrust.systemPlus(List.of(TestCerts.localhost().pem()))).build();
        }
        return shared;
    }

    /** The same simulator, every request carrying this header too. */
    public SimulatorHttp with(String name, String value) {
        Map<String, String> more = new LinkedHashMap<>(headers);
        more.put(name, value);
        return new SimulatorHttp(base, Map.copyOf(more));
    }

    public Reply get(String pathAndQuery) {
        return send("GET", pathAndQuery, null, null);
    }

    /** {@code contentType} null sends no Content-Type; {@code body} null sends none. */
    public Reply send(String method, String pathAndQuery, String contentType, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        headers.forEach(b::header);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        try {
            HttpResponse<String> r = client().send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(r.statusCode(), r.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
