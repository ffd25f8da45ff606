package safeguard.http;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.HttpResponse;
import kong.unirest.core.Unirest;
import kong.unirest.core.UnirestException;
import kong.unirest.core.UnirestInstance;
import safeguard.Json;
import safeguard.ProxySettings;

/**
 * One conversation with one storage system: a Unirest instance with the target's timeouts, TLS trust and the
 * QRadar proxy; bounded retries of the faults that can heal; every request told to the {@link CallObserver}
 * before it is sent and its answer after; and a record of every exchange for connection tests.
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
    private final PeerTrust trust;
    private final List<CallRecord> calls = new ArrayList<>();
    private final AtomicInteger ids = new AtomicInteger();
    private volatile CallObserver observer = CallObserver.NONE;

    private final boolean ownsClient;

    /** A conversation with a client of its own, closed with it (a connection test, a one-off listing). */
    public Upstream(String baseUrl, PeerTrust trust, ProxySettings proxy, int connectTimeoutSeconds,
                    int requestTimeoutSeconds, RetryPolicy retry) {
        this(baseUrl, trust, client(baseUrl, trust, proxy, connectTimeoutSeconds, requestTimeoutSeconds), retry, true);
    }

    /**
     * A conversation over a client shared by every conversation with the same target (its connections kept
     * alive, its TLS sessions resumed); closing the conversation leaves the client open.
     */
    public Upstream(String baseUrl, PeerTrust trust, UnirestInstance shared, RetryPolicy retry) {
        this(baseUrl, trust, shared, retry, false);
    }

    private Upstream(String baseUrl, PeerTrust trust, UnirestInstance http, RetryPolicy retry, boolean ownsClient) {
        this.baseUrl = baseUrl;
        this.retry = retry;
        this.trust = trust;
        this.http = http;
        this.ownsClient = ownsClient;
    }

    /** A client with the target's timeouts, TLS trust and the QRadar proxy; one per target, reused. */
    public static UnirestInstance client(String baseUrl, PeerTrust trust, ProxySettings proxy, int connectTimeoutSeconds,
                                         int requestTimeoutSeconds) {
        UnirestInstance http = Unirest.spawnInstance();
        http.config()
                .connectTimeout(connectTimeoutSeconds * 1000)
                .requestTimeout(requestTimeoutSeconds * 1000)
                .followRedirects(false)
                .sslContext(trust.context())
                .setDefaultHeader("Accept", "application/json");
        if (proxy.enabled() && !proxy.bypasses(URI.create(baseUrl).getHost())) {
            http.config().proxy(proxy.host(), proxy.port(), proxy.username(), proxy.password());
        }
        return http;
    }

    /** From now on every request is told to {@code o} first. */
    public void observe(CallObserver o) {
        observer = o == null ? CallObserver.NONE : o;
    }

    public UnirestInstance http() {
        return http;
    }

    public String url(String path) {
        return baseUrl + path;
    }

    /**
     * A request that reads (or is safe to repeat): retried on timeouts, broken or refused connections, 5xx and
     * 429; any other answer, error or not, is returned for the client to judge. Throws {@link UpstreamException}
     * (with its {@link Fault}) when no answer came back in the end.
     */
    public Reply send(String operation, String method, String path, Function<UnirestInstance, HttpRequest<?>> request) {
        return exchange(operation, method, path, null, true, request);
    }

    /**
     * A request that asks the storage system to create {@code creates}. When {@code repeatable} is false (a second
     * one would make a second copy) it is repeated only when the system certainly did not act on the first:
     * the connection was refused, or it answered 429 or 503.
     */
    public Reply create(String operation, String method, String path, String creates, boolean repeatable,
                        Function<UnirestInstance, HttpRequest<?>> request) {
        return exchange(operation, method, path, creates, repeatable, request);
    }

    private Reply exchange(String operation, String method, String path, String creates, boolean repeatable,
                           Function<UnirestInstance, HttpRequest<?>> request) {
        String what = method + " " + path;
        for (int attempt = 1; ; attempt++) {
            CallObserver o = observer;
            CallObserver.Call call = new CallObserver.Call(Integer.toString(ids.incrementAndGet()), operation, what, creates);
            o.sending(call);
            long t0 = System.nanoTime();
            HttpResponse<String> r;
            try {
                r = request.apply(http).asString();
            } catch (UnirestException e) {
                long ms = (System.nanoTime() - t0) / 1_000_000;
                Fault f = Faults.classify(e, trust.serverFingerprint(), URI.create(baseUrl).getHost());
                boolean again = attempt < retry.maxAttempts() && f.retryable() && (repeatable || !f.mayHaveArrived());
                answered(o, call, new CallRecord(operation, what, 0, ms, again ? f.message() + ", retrying" : f.message(),
                        trust.isInsecure()));
                if (!again) {
                    throw UpstreamException.of(f, 0);
                }
                retry.pause(attempt);
                continue;
            }
            long ms = (System.nanoTime() - t0) / 1_000_000;
            int status = r.getStatus();
            Duration asked = status == 429 || status == 503
                    ? RetryPolicy.retryAfter(r.getHeaders().getFirst("Retry-After"), java.time.Instant.now()) : null;
            boolean again = attempt < retry.maxAttempts() && RetryPolicy.isTransient(status)
                    && (repeatable || status == 429 || status == 503)
                    && (asked == null || asked.compareTo(RetryPolicy.MAX_RETRY_AFTER) <= 0);
            answered(o, call, new CallRecord(operation, what, status, ms,
                    again ? "HTTP " + status + ", retrying" + (asked == null ? "" : " after " + asked.toSeconds() + " s")
                            : "HTTP " + status, trust.isInsecure()));
            if (!again) {
                return new Reply(status, r.getBody(), parse(r.getBody()));
            }
            if (asked != null) {
                retry.pauseFor(asked);
            } else {
                retry.pause(attempt);
            }
        }
    }

    private void answered(CallObserver o, CallObserver.Call call, CallRecord c) {
        synchronized (this) {
            calls.add(c);
        }
        o.answered(call, c);
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
        if (ownsClient) {
            http.close();
        }
    }
}
