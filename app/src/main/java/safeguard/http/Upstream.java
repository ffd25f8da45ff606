package safeguard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import javax.net.ssl.SSLContext;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import safeguard.Json;
import safeguard.ProxySettings;

/**
 * One conversation with one storage system: a Unirest instance with the target's timeouts, TLS trust and the
 * QRadar proxy; bounded retries of transient faults; and a record of every exchange for the journal.
 */
public final class Upstream implements AutoCloseable {
    /** A reply: status and body, with the body parsed as JSON when it is JSON (else a null node). */
    public record Reply(int status, String body, JsonNode json) {
        public boolean ok() {
            return status >= 200 && status < 300;
        }
    }

    private final UnirestInstance http;
    private final String baseUrl;
    private final RetryPolicy retry;
    private final boolean insecure;
    private final List<CallRecord> calls = new ArrayList<>();

    public Upstream(String baseUrl, SSLContext ssl, boolean insecure, ProxySettings proxy, int connectTimeoutSeconds,
                    int requestTimeoutSeconds, RetryPolicy retry) {
        this.baseUrl = baseUrl;
        this.retry = retry;
        this.insecure = insecure;
        this.http = Unirest.spawnInstance();
        http.config()
                .connectTimeout(connectTimeoutSeconds * 1000)
                .requestTimeout(requestTimeoutSeconds * 1000)
                .followRedirects(false)
                .sslContext(ssl)
                .setDefaultHeader("Accept", "application/json");
        if (proxy.enabled() && !proxy.bypasses(URI.create(baseUrl).getHost())) {
            http.config().proxy(proxy.host(), proxy.port(), proxy.username(), proxy.password());
        }
    }

    public UnirestInstance http() {
        return http;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    /**
     * Sends with retries of connection errors, timeouts, 5xx and 429; returns any other answer, error or not,
     * for the client to judge. Throws {@link UpstreamException} when no answer came back in the end.
     */
    public Reply send(String operation, String method, String path, Function<UnirestInstance, HttpRequest<?>> request) {
        String what = method + " " + path;
        for (int attempt = 1; ; attempt++) {
            long t0 = System.nanoTime();
            try {
                HttpResponse<String> r = request.apply(http).asString();
                long ms = (System.nanoTime() - t0) / 1_000_000;
                boolean again = RetryPolicy.isTransient(r.getStatus()) && attempt < retry.maxAttempts();
                record(new CallRecord(operation, what, r.getStatus(), ms,
                        again ? "HTTP " + r.getStatus() + ", retrying" : "HTTP " + r.getStatus(), insecure));
                if (!again) {
                    return new Reply(r.getStatus(), r.getBody(), parse(r.getBody()));
                }
            } catch (UnirestException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                String why = Faults.describe(e);
                boolean again = attempt < retry.maxAttempts();
                record(new CallRecord(operation, what, 0, ms, again ? why + ", retrying" : why, insecure));
                if (!again) {
                    throw new UpstreamException(0, why, null);
                }
            }
            retry.pause(attempt);
        }
    }

    private synchronized void record(CallRecord c) {
        calls.add(c);
    }

    public synchronized List<CallRecord> calls() {
        return List.copyOf(calls);
    }

    private static JsonNode parse(String body) {
        if (body == null || body.isBlank()) {
            return Json.mapper().nullNode();
        }
        try {
            return Json.mapper().readTree(body);
        } catch (JsonProcessingException e) {
            return Json.mapper().nullNode();
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
