package safeguard;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.fasterxml.jackson.databind.JsonNode;
import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A storage system's REST API over HTTPS with a self-signed certificate for localhost (as storage GUIs ship),
 * with state: subclasses remember what they were asked to create and answer as the vendor documents
 * (storage-apis.md, cited per behaviour). A request that breaks the documented contract is answered 400 and
 * recorded; as a JUnit extension the test then fails. Tests can also hold an answer back after its effect
 * (the request arrived, its answer did not: a crash or a lost answer), fail the next requests, or slow them.
 * Usable as {@code @RegisterExtension} (started before each test) or started and closed by hand.
 */
public abstract class StorageSimulator implements BeforeEachCallback, AfterEachCallback, AutoCloseable {

    /**
     * One request as the simulator sees it: {@code path} with each segment decoded, {@code rawPath} as sent (so a
     * simulator can tell one segment holding an encoded '/' (%2F) from several segments).
     */
    public record Call(String method, String path, Map<String, String> query, Map<String, String> headers, String body,
            String rawPath) {
        public Call(String method, String path, Map<String, String> query, Map<String, String> headers, String body) {
            this(method, path, query, headers, body, path);
        }

        public String header(String name) {
            for (var e : headers.entrySet()) {
                if (e.getKey().equalsIgnoreCase(name)) {
                    return e.getValue();
                }
            }
            return null;
        }

        /** The form fields of an application/x-www-form-urlencoded body. */
        public Map<String, String> form() {
            Map<String, String> f = new LinkedHashMap<>();
            if (body == null || body.isEmpty()) {
                return f;
            }
            for (String pair : body.split("&")) {
                int eq = pair.indexOf('=');
                f.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
            return f;
        }

        public JsonNode json() {
            try {
                return Json.mapper().readTree(body == null ? "" : body);
            } catch (Exception e) {
                return null;
            }
        }
    }

    /** An answer: status and JSON body (null for none). */
    public record Answer(int status, String body) {
    }

    /** An answer held back after its request took effect, until released. */
    public static final class Hold {
        final String method;
        final Pattern path;
        final CountDownLatch arrived = new CountDownLatch(1);
        final CountDownLatch released = new CountDownLatch(1);

        Hold(String method, String pathRegex) {
            this.method = method;
            this.path = Pattern.compile(pathRegex);
        }

        /** Waits until a matching request has arrived and taken effect. */
        public void awaitArrival() throws InterruptedException {
            if (!arrived.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("no " + method + " " + path + " arrived");
            }
        }

        public boolean arrived() {
            return arrived.getCount() == 0;
        }

        public void release() {
            released.countDown();
        }
    }

    private record Rule(String method, Pattern path, int status, AtomicInteger times, int delayMs) {
    }

    private final TestCerts cert;
    private final String name = getClass().getSimpleName() + "-" + System.identityHashCode(this);
    private final List<String> violations = new CopyOnWriteArrayList<>();
    private final List<Hold> holds = new CopyOnWriteArrayList<>();
    private final List<Rule> rules = new CopyOnWriteArrayList<>();
    private final List<String> seen = new CopyOnWriteArrayList<>();
    private WireMockServer wm;

    protected StorageSimulator(TestCerts cert) {
        this.cert = cert;
    }

    /** Answers one request; called one at a time (the simulator's state needs no other lock). */
    protected abstract Answer handle(Call c);

    public synchronized StorageSimulator start() {
        if (wm == null) {
            wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort()
                    .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                    .keyManagerPassword(cert.password()).keystoreType("PKCS12").extensions(new Transformer()));
            wm.start();
            wm.stubFor(any(anyUrl()).willReturn(aResponse().withTransformers(name)));
        }
        return this;
    }

    public int port() {
        return start().wm.httpsPort();
    }

    public WireMockServer wm() {
        return start().wm;
    }

    /** The next answer to METHOD path (regex) is held back after the request took effect, until released. */
    public Hold holdAnswer(String method, String pathRegex) {
        Hold h = new Hold(method, pathRegex);
        holds.add(h);
        return h;
    }

    /** The next {@code times} requests matching are answered {@code status} and have no effect. */
    public void failNext(String method, String pathRegex, int status, int times) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), status, new AtomicInteger(times), 0));
    }

    /** Requests matching are answered after {@code ms}, having taken effect (a slow system, or a lost answer). */
    public void delay(String method, String pathRegex, int ms) {
        rules.add(new Rule(method, Pattern.compile(pathRegex), 0, new AtomicInteger(Integer.MAX_VALUE), ms));
    }

    /** How many requests METHOD path (regex) arrived. */
    public long count(String method, String pathRegex) {
        Pattern p = Pattern.compile(pathRegex);
        return seen.stream().filter(s -> s.startsWith(method + " ") && p.matcher(s.substring(method.length() + 1)).matches()).count();
    }

    public List<String> requests() {
        return List.copyOf(seen);
    }

    public List<String> violations() {
        return List.copyOf(violations);
    }

    /** A request against the documented contract: recorded (the test fails) and answered 400. */
    protected Answer violation(String section, String why) {
        violations.add(why + " (storage-apis.md " + section + ")");
        return new Answer(400, "{\"violation\":" + Json.mapper().valueToTree(why) + "}");
    }

    protected static Answer json(int status, String body) {
        return new Answer(status, body);
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        start();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        close();
        if (!violations.isEmpty()) {
            throw new AssertionError("requests broke the documented contract: " + violations);
        }
    }

    @Override
    public synchronized void close() {
        holds.forEach(Hold::release);
        if (wm != null) {
            wm.stop();
            wm = null;
        }
    }

    private final class Transformer implements ResponseDefinitionTransformerV2 {
        @Override
        public String getName() {
            return name;
        }

        @Override
        public boolean applyGlobally() {
            return false;
        }

        @Override
        public ResponseDefinition transform(ServeEvent e) {
            var r = e.getRequest();
            String url = r.getUrl();
            int q = url.indexOf('?');
            String path = q < 0 ? url : url.substring(0, q);
            Map<String, String> query = new LinkedHashMap<>();
            if (q >= 0) {
                for (String pair : url.substring(q + 1).split("&")) {
                    int eq = pair.indexOf('=');
                    query.put(decode(eq < 0 ? pair : pair.substring(0, eq)), eq < 0 ? "" : decode(pair.substring(eq + 1)));
                }
            }
            Map<String, String> headers = new LinkedHashMap<>();
            for (String h : r.getAllHeaderKeys()) {
                headers.put(h, r.getHeader(h));
            }
            String method = r.getMethod().getName();
            Call c = new Call(method, decodePath(path), query, headers, r.getBodyAsString(), path);
            seen.add(method + " " + c.path());
            int delay = 0;
            Answer a = null;
            for (Rule rule : rules) {
                if (rule.method.equals(method) && rule.path.matcher(c.path()).matches()) {
                    if (rule.delayMs > 0) {
                        delay = Math.max(delay, rule.delayMs);
                    } else if (rule.times.getAndDecrement() > 0) {
                        a = json(rule.status, "{\"status\":{\"code\":" + rule.status + ",\"message\":\"simulated failure\"}}");
                        break;
                    }
                }
            }
            if (a == null) {
                synchronized (StorageSimulator.this) {
                    a = handle(c);
                }
            }
            for (Hold h : holds) {
                if (h.method.equals(method) && h.path.matcher(c.path()).matches() && h.arrived.getCount() > 0) {
                    h.arrived.countDown();
                    try {
                        h.released.await(60, TimeUnit.SECONDS);
                    } catch (InterruptedException ie) {
                        Thread.currentThread().interrupt();
                    }
                    break;
                }
            }
            ResponseDefinitionBuilder b = new ResponseDefinitionBuilder().withStatus(a.status());
            if (a.body() != null) {
                b.withHeader("Content-Type", "application/json").withBody(a.body());
            }
            if (delay > 0) {
                b.withFixedDelay(delay);
            }
            return b.build();
        }
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    /** Path segments are percent-encoded by the clients (spaces as %20, never '+'). */
    private static String decodePath(String p) {
        List<String> parts = new ArrayList<>();
        for (String seg : p.split("/", -1)) {
            parts.add(URLDecoder.decode(seg.replace("+", "%2B"), StandardCharsets.UTF_8));
        }
        return String.join("/", parts);
    }
}
