package safeguard.qradar;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.getRequestedFor;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.tomakehurst.wiremock.junit5.WireMockExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.ProxySettings;
import safeguard.http.RetryPolicy;
import safeguard.TestCerts;
import safeguard.http.TlsTrust;

class QradarClientTest {
    private static final RetryPolicy NO_WAIT = new RetryPolicy(3, Duration.ZERO, Duration.ZERO, d -> { });


    @TempDir
    Path tmp;

    @RegisterExtension
    final WireMockExtension wm = WireMockExtension.newInstance()
            .options(wireMockConfig().dynamicPort().dynamicHttpsPort()
                    .keystorePath(cert().keystore().toString()).keystorePassword("changeit").keyManagerPassword("changeit")
                    .keystoreType("PKCS12"))
            .build();

    private static TestCerts cert() {
        return TestCerts.localhost();
    }

    private String http() {
        return wm.getRuntimeInfo().getHttpBaseUrl();
    }

    @Test
    void the_console_certificate_is_trusted_through_the_qradar_ca_bundle() throws Exception {
        wm.stubFor(get(urlPathEqualTo("/api/help/versions")).willReturn(okJson("[{\"version\":\"26.0\"}]")));
        Path bundle = tmp.resolve("ca-bundle.crt");
        Files.writeString(bundle, cert().pemText());
        String https = "https://localhost:" + wm.getRuntimeInfo().getHttpsPort() + "/api";

        try (QradarClient trusting = new QradarClient(https, "t", TlsTrust.systemPlus(List.of(bundle)),
                ProxySettings.NONE, NO_WAIT)) {
            assertEquals("26.0", trusting.get("/help/versions", Map.of()).get(0).get("version").asText());
            assertEquals("26.0", trusting.apiVersion());
        }
        try (QradarClient strict = new QradarClient(https, "t", TlsTrust.systemPlus(List.of()), ProxySettings.NONE, NO_WAIT)) {
            QradarException e = assertThrows(QradarException.class, () -> strict.get("/help/versions", Map.of()));
            assertEquals(0, e.status());
            assertTrue(e.getMessage().contains("SSL") || e.getMessage().contains("certif"), e.getMessage());
        }
    }

    @Test
    void calls_go_through_the_qradar_proxy_when_one_is_set() {
        wm.stubFor(get(urlPathEqualTo("/api/help/versions")).willReturn(okJson("[{\"version\":\"26.0\"}]")));
        ProxySettings proxy = new ProxySettings("localhost", wm.getPort(), null, null, List.of());
        try (QradarClient c = new QradarClient("http://console.qradar.test/api", "t", null, proxy, NO_WAIT)) {
            c.get("/help/versions", Map.of());
        }
        // The console name does not resolve: the request can only have arrived through the proxy.
        wm.verify(getRequestedFor(urlPathEqualTo("/api/help/versions")));
        assertEquals("console.qradar.test", wm.getAllServeEvents().get(0).getRequest().getHost());
    }

    @Test
    void a_host_on_the_no_proxy_list_is_called_directly() {
        wm.stubFor(get(urlPathEqualTo("/api/help/versions")).willReturn(okJson("[{\"version\":\"26.0\"}]")));
        ProxySettings proxy = new ProxySettings("proxy.invalid", 3128, null, null, List.of("localhost"));
        try (QradarClient c = new QradarClient(http() + "/api", "t", null, proxy, NO_WAIT)) {
            c.get("/help/versions", Map.of());
        }
        wm.verify(getRequestedFor(urlPathEqualTo("/api/help/versions")));
    }

    @Test
    void an_unreachable_console_is_retried_within_bounds_then_reported() {
        int[] pauses = {0};
        RetryPolicy counting = new RetryPolicy(3, Duration.ofMillis(1), Duration.ofMillis(1), d -> pauses[0]++);
        try (QradarClient c = new QradarClient("http://127.0.0.1:1/api", "t", null, ProxySettings.NONE, counting)) {
            QradarException e = assertThrows(QradarException.class, () -> c.get("/help/versions", Map.of()));
            assertEquals(0, e.status());
            assertTrue(e.getMessage().startsWith("QRadar console unreachable"), e.getMessage());
        }
        assertEquals(2, pauses[0], "3 attempts, 2 pauses");
    }

    @Test
    void an_error_page_that_is_not_json_still_gives_a_clear_message() {
        wm.stubFor(get(urlPathEqualTo("/api/help/versions")).willReturn(aResponse().withStatus(403)
                .withBody("<html>Forbidden</html>")));
        try (QradarClient c = new QradarClient(http() + "/api", "t", null, ProxySettings.NONE, NO_WAIT)) {
            QradarException e = assertThrows(QradarException.class, () -> c.get("/help/versions", Map.of()));
            assertEquals("HTTP 403", e.getMessage());
        }
    }
}
