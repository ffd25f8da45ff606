package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import safeguard.AppConfig;

class ClientAddressTest {
    final ClientAddress outside = new ClientAddress(List.of());
    /** The console's app proxy, as QRADAR_CONSOLE_IP names it. */
    final ClientAddress inside = new ClientAddress(List.of("172.17.0.1"));

    @Test
    void outside_qradar_the_peer_is_the_client_whatever_it_claims() {
        assertEquals("10.0.0.5", outside.of("10.0.0.5", "1.2.3.4"));
    }

    @Test
    void from_the_console_proxy_the_address_it_appended_tells_clients_apart() {
        assertEquals("10.1.1.7", inside.of("172.17.0.1", "6.6.6.6, 10.1.1.7"), "the right-most entry");
        assertEquals("10.1.1.7", inside.of("172.17.0.1", " 10.1.1.7 "));
        assertEquals("2001:db8::7", inside.of("172.17.0.1", "2001:db8::7"));
        assertEquals("172.17.0.1", inside.of("172.17.0.1", null), "no header: the proxy itself");
        assertEquals("172.17.0.1", inside.of("172.17.0.1", "x".repeat(65)), "not an address");
        assertEquals("172.17.0.1", inside.of("172.17.0.1", "client.example"), "a name is not what the proxy writes");
        assertEquals("172.17.0.1", inside.of("172.17.0.1", "1.2.3.4,"), "an empty last entry");
    }

    @Test
    void a_connection_from_anywhere_but_the_console_proxy_is_its_own_client_whatever_it_forwards() {
        for (int i = 0; i < 5; i++) {
            assertEquals("10.9.9.9", inside.of("10.9.9.9", "203.0.113." + i), "a spoofed X-Forwarded-For is ignored");
        }
    }

    @Test
    void inside_qradar_the_console_ip_is_the_trusted_proxy_and_more_can_be_listed() {
        AppConfig c = AppConfig.fromEnv(Map.of("QRADAR_CONSOLE_FQDN", "console.example", "QRADAR_CONSOLE_IP", "10.0.0.1",
                "SAFEGUARD_TRUSTED_PROXIES", "10.0.0.2, ::1"));
        assertEquals(List.of("10.0.0.1", "10.0.0.2", "::1"), c.trustedProxies());
        assertEquals(List.of(), AppConfig.fromEnv(Map.of("QRADAR_CONSOLE_IP", "10.0.0.1")).trustedProxies(),
                "outside QRadar nothing is trusted unless listed");
        var bad = org.junit.jupiter.api.Assertions.assertThrows(safeguard.ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("SAFEGUARD_TRUSTED_PROXIES", "proxy.example")));
        assertEquals(true, bad.getMessage().contains("SAFEGUARD_TRUSTED_PROXIES"));
    }
}
