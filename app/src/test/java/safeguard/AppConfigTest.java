package safeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AppConfigTest {

    @Test
    void outside_qradar_everything_has_a_local_default() {
        AppConfig c = AppConfig.fromEnv(Map.of());
        assertEquals(5000, c.port());
        assertEquals("127.0.0.1", c.bindAddress());
        assertEquals(Path.of("store").toAbsolutePath(), c.storeDir());
        assertFalse(c.insideQradar());
        assertFalse(c.httpsProxy().enabled());
    }

    @Test
    void inside_qradar_the_store_is_under_app_root_and_the_server_listens_everywhere() {
        AppConfig c = AppConfig.fromEnv(Map.of(
                "APP_ROOT", "/opt/app-root",
                "QRADAR_CONSOLE_FQDN", "console.example.com",
                "QRADAR_APP_ID", "1051",
                "REQUESTS_CA_BUNDLE", "/etc/pki/tls/certs/ca-bundle.crt",
                "IS_QROC", "true"));
        assertTrue(c.insideQradar());
        assertTrue(c.qradarOnCloud());
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(Path.of("/opt/app-root/store"), c.storeDir());
        assertEquals("1051", c.appId().orElseThrow());
        assertEquals(Path.of("/etc/pki/tls/certs/ca-bundle.crt"), c.caBundle().orElseThrow());
    }

    @Test
    void explicit_settings_win_over_defaults() {
        AppConfig c = AppConfig.fromEnv(Map.of(
                "SAFEGUARD_PORT", "8080", "SAFEGUARD_BIND", "0.0.0.0", "SAFEGUARD_STORE", "/tmp/sr-store"));
        assertEquals(8080, c.port());
        assertEquals("0.0.0.0", c.bindAddress());
        assertEquals(Path.of("/tmp/sr-store"), c.storeDir());
    }

    @Test
    void a_non_numeric_port_is_rejected_naming_the_variable() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("SAFEGUARD_PORT", "abc")));
        assertEquals("SAFEGUARD_PORT must be a number from 0 to 65535, got \"abc\"", e.getMessage());
    }

    @Test
    void a_port_out_of_range_is_rejected() {
        assertThrows(ConfigException.class, () -> AppConfig.fromEnv(Map.of("SAFEGUARD_PORT", "70000")));
        assertThrows(ConfigException.class, () -> AppConfig.fromEnv(Map.of("SAFEGUARD_PORT", "-1")));
    }

    @Test
    void the_qradar_proxy_is_parsed_with_credentials_and_exclusions() {
        AppConfig c = AppConfig.fromEnv(Map.of(
                "QRADAR_HTTPS_PROXY", "http://svc:pr0xy-pass@proxy.corp:3128",
                "QRADAR_NO_PROXY", "localhost, .internal.corp"));
        ProxySettings p = c.httpsProxy();
        assertTrue(p.enabled());
        assertEquals("proxy.corp", p.host());
        assertEquals(3128, p.port());
        assertEquals("svc:pr0xy-pass", p.credentials().orElseThrow());
        assertTrue(p.bypasses("localhost"));
        assertTrue(p.bypasses("scale.internal.corp"));
        assertFalse(p.bypasses("scale.example.com"));
    }

    @Test
    void the_lowercase_proxy_variable_is_used_when_qradar_sets_none() {
        AppConfig c = AppConfig.fromEnv(Map.of("https_proxy", "proxy.corp:8080"));
        assertEquals("proxy.corp", c.httpsProxy().host());
        assertEquals(8080, c.httpsProxy().port());
    }

    @Test
    void a_proxy_without_a_host_is_rejected() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> AppConfig.fromEnv(Map.of("QRADAR_HTTPS_PROXY", "http://:3128")));
        assertTrue(e.getMessage().startsWith("QRADAR_HTTPS_PROXY"), e.getMessage());
    }

    @Test
    void printing_the_config_never_shows_the_admin_token_or_proxy_password() {
        AppConfig c = AppConfig.fromEnv(Map.of(
                "QRADAR_CONSOLE_FQDN", "console.example.com",
                "SEC_ADMIN_TOKEN", "0d3f5e6a-secret-token",
                "QRADAR_HTTPS_PROXY", "http://svc:pr0xy-pass@proxy.corp:3128"));
        String printed = c.toString();
        assertFalse(printed.contains("0d3f5e6a-secret-token"), printed);
        assertFalse(printed.contains("pr0xy-pass"), printed);
        assertTrue(printed.contains("SEC_ADMIN_TOKEN set"), printed);
    }
}
