package safeguard.http;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.any;
import static com.github.tomakehurst.wiremock.client.WireMock.anyUrl;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.urlEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.stubbing.Scenario;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import safeguard.ProxySettings;

/** Which answers a storage request is repeated after, and how long it waits before it does. */
class UpstreamRetryTest {
    WireMockServer server;
    final List<Duration> pauses = new CopyOnWriteArrayList<>();
    Upstream up;

    @BeforeEach
    void start() {
        server = new WireMockServer(options().dynamicPort());
        server.start();
        up = new Upstream("http://localhost:" + server.port(), PeerTrust.insecure(), ProxySettings.NONE, 2, 5,
                new RetryPolicy(3, Duration.ofMillis(100), Duration.ofSeconds(1), pauses::add));
    }

    @AfterEach
    void stop() {
        up.close();
        server.stop();
    }

    private void answers(int first, String retryAfter, int then) {
        var firstAnswer = aResponse().withStatus(first);
        if (retryAfter != null) {
            firstAnswer = firstAnswer.withHeader("Retry-After", retryAfter);
        }
        server.stubFor(any(anyUrl()).inScenario("s").whenScenarioStateIs(Scenario.STARTED).willReturn(firstAnswer)
                .willSetStateTo("again"));
        server.stubFor(any(anyUrl()).inScenario("s").whenScenarioStateIs("again")
                .willReturn(aResponse().withStatus(then).withBody("{}")));
    }

    private int get() {
        return up.send("read", "GET", "/x", h -> h.get(up.url("/x"))).status();
    }

    @Test
    void a_503_with_retry_after_is_repeated_after_the_pause_the_server_asked_for() {
        answers(503, "7", 200);
        assertEquals(200, get());
        assertEquals(List.of(Duration.ofSeconds(7)), pauses);
    }

    @Test
    void a_429_with_retry_after_as_a_date_waits_until_that_date() {
        String in20s = java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME
                .format(java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(29));
        answers(429, in20s, 200);
        assertEquals(200, get());
        assertEquals(1, pauses.size());
        Duration p = pauses.get(0);
        // Until the date, not the policy's own backoff (at most 1 s here).
        assertEquals(true, p.compareTo(Duration.ofSeconds(1)) > 0 && p.compareTo(Duration.ofSeconds(29)) <= 0, p.toString());
    }

    @Test
    void a_retry_after_longer_than_a_queue_may_wait_is_not_waited_for_and_the_answer_is_returned() {
        answers(503, "3600", 200);
        assertEquals(503, get());
        assertEquals(List.of(), pauses);
        server.verify(1, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void a_501_or_505_is_never_repeated_since_asking_again_cannot_heal_it() {
        for (int status : new int[] {501, 505}) {
            server.resetAll();
            answers(status, null, 200);
            assertEquals(status, get());
            server.verify(1, getRequestedFor(urlEqualTo("/x")));
        }
        assertEquals(List.of(), pauses);
    }

    @Test
    void a_plain_502_is_repeated_with_backoff() {
        answers(502, null, 200);
        assertEquals(200, get());
        assertEquals(1, pauses.size());
        server.verify(2, getRequestedFor(urlEqualTo("/x")));
    }

    @Test
    void a_retry_after_that_cannot_be_read_is_ignored() {
        assertNull(RetryPolicy.retryAfter("soon", Instant.now()));
        assertNull(RetryPolicy.retryAfter("", Instant.now()));
        assertEquals(Duration.ZERO, RetryPolicy.retryAfter("Wed, 21 Oct 2015 07:28:00 GMT", Instant.now()));
    }
}
