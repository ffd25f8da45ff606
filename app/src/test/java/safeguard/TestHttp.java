package safeguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import safeguard.access.LocalAdmin;
import safeguard.store.Store;

/** A tiny blocking HTTP client for tests against the app on a local port, optionally as the local admin. */
public final class TestHttp {
    private final HttpClient client;
    private final String base;
    private final int port;
    private final Map<String, String> headers;

    public TestHttp(int port) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build(), "http://127.0.0.1:" + port, port, Map.of());
    }

    /** The app at another address, e.g. through the console's app proxy over HTTPS. */
    public TestHttp(String base, javax.net.ssl.SSLContext ssl) {
        this(HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).sslContext(ssl).build(), base, -1, Map.of());
    }

    private TestHttp(HttpClient client, String base, int port, Map<String, String> headers) {
        this.client = client;
        this.port = port;
        this.base = base;
        this.headers = headers;
    }

    /** Signed in as the local admin of the app whose store is {@code storeDir} (a fresh admin token). */
    public static TestHttp admin(int port, Path storeDir) {
        String token = new LocalAdmin(Store.open(storeDir), Clock.systemUTC()).rotate();
        return new TestHttp(port).with("Authorization", "Bearer " + token);
    }

    /** The same app, sending these headers too (a QRadar SEC, a CSRF header...). */
    public TestHttp with(String name, String value) {
        Map<String, String> more = new java.util.LinkedHashMap<>(headers);
        more.put(name, value);
        return new TestHttp(client, base, port, Map.copyOf(more));
    }

    public int port() {
        return port;
    }

    public HttpResponse<String> get(String path) {
        return send(HttpRequest.newBuilder(URI.create(base + path)).header("Accept", "application/json").GET());
    }

    public HttpResponse<String> send(String method, String path, String body) {
        return send(HttpRequest.newBuilder(URI.create(base + path))
                .header("Accept", "application/json")
                .header("Content-Type", "application/json")
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body)));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        headers.forEach(request::header);
        try {
            return client.send(request.timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
