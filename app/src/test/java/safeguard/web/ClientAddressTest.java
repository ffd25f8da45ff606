package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ClientAddressTest {
    @Test
    void outside_qradar_the_peer_is_the_client_whatever_it_claims() {
        assertEquals("10.0.0.5", ClientAddress.of("10.0.0.5", "1.2.3.4", false));
    }

    @Test
    void inside_qradar_the_address_the_console_proxy_appended_tells_clients_apart() {
        assertEquals("10.1.1.7", ClientAddress.of("172.17.0.1", "6.6.6.6, 10.1.1.7", true), "the right-most entry");
        assertEquals("10.1.1.7", ClientAddress.of("172.17.0.1", " 10.1.1.7 ", true));
        assertEquals("172.17.0.1", ClientAddress.of("172.17.0.1", null, true), "no header: the proxy itself");
        assertEquals("172.17.0.1", ClientAddress.of("172.17.0.1", "x".repeat(65), true), "not an address");
        assertEquals("172.17.0.1", ClientAddress.of("172.17.0.1", "1.2.3.4,", true), "an empty last entry");
    }
}
