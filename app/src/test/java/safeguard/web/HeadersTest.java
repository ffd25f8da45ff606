package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.javalin.Javalin;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestHttp;
import safeguard.access.LocalAdmin;
import safeguard.store.Store;

/** Security headers on the tab and the API, no-store on answers with tokens, Secure session cookies when asked. */
class HeadersTest {
    @TempDir
    Path tmp;
    Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    private TestHttp start(Map<String, String> env) {
        app = App.create(AppConfig.fromEnv(env), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC()))
                .start("127.0.0.1", 0);
        return TestHttp.admin(app.port(), tmp.resolve("store"));
    }

    private static String header(HttpResponse<?> r, String name) {
        return r.headers().firstValue(name).orElse("");
    }

    @Test
    void the_tab_its_files_the_api_and_jettys_own_errors_carry_the_security_headers() {
        TestHttp http = start(Map.of());
        for (String path : new String[] {"/index.html", "/app.js", "/vendor/carbon-styles.min.css", "/api/health",
                "/api/targets", "/api/nope", "/debug", "/api/targets/%00"}) {
            HttpResponse<String> r = http.get(path);
            String csp = header(r, "Content-Security-Policy");
            assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self'")
                    && csp.contains("style-src 'self'") && csp.contains("object-src 'none'"), path + ": " + csp);
            assertTrue(csp.contains("frame-ancestors 'self'"), path + ": framed by the console, which is 'self' through its proxy");
            assertFalse(csp.contains("unsafe-inline"), path + ": the page has no inline script or style");
            assertEquals("nosniff", header(r, "X-Content-Type-Options"), path);
            assertEquals("no-referrer", header(r, "Referrer-Policy"), path);
            assertTrue(r.headers().firstValue("X-Frame-Options").isEmpty(), path + ": QRadar shows the tab in an iframe");
        }
        assertEquals("public, max-age=86400", header(http.get("/vendor/carbon-styles.min.css"), "Cache-Control"));
    }

    @Test
    void inside_qradar_the_console_may_frame_the_tab_by_name_too() {
        TestHttp http = start(Map.of("QRADAR_CONSOLE_FQDN", "console.example.com"));
        String csp = header(http.get("/api/health"), "Content-Security-Policy");
        assertTrue(csp.contains("frame-ancestors 'self' https://console.example.com"), csp);
    }

    @Test
    void answers_that_reveal_a_token_are_never_stored() throws Exception {
        TestHttp http = start(Map.of());
        for (HttpResponse<String> r : java.util.List.of(
                http.send("POST", "/api/action-token/reveal", null),
                http.send("POST", "/api/action-token/rotate", null))) {
            assertTrue(r.body().contains("\"token\""), r.body());
            assertEquals("no-store", header(r, "Cache-Control"));
        }
        String admin = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
        HttpResponse<String> signIn = new TestHttp(app.port()).send("POST", "/api/session", "{\"token\":\"" + admin + "\"}");
        assertEquals(200, signIn.statusCode(), signIn.body());
        assertEquals("no-store", header(signIn, "Cache-Control"));
        assertEquals("no-store", header(http.get("/api/targets"), "Cache-Control"), "every API answer");
    }

    @Test
    void the_session_cookie_is_secure_when_the_config_says_the_browser_comes_over_https() throws Exception {
        TestHttp plain = start(Map.of());
        String admin = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
        String cookie = header(plain.send("POST", "/api/session", "{\"token\":\"" + admin + "\"}"), "Set-Cookie");
        assertTrue(cookie.startsWith("safeguard_session=") && cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), cookie);
        assertFalse(cookie.contains("Secure"), "plain HTTP on a laptop: a Secure cookie would never come back");
        app.stop();

        start(Map.of("SAFEGUARD_SECURE_COOKIES", "true"));
        admin = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
        HttpResponse<String> behindTls = new TestHttp(app.port()).send("POST", "/api/session", "{\"token\":\"" + admin + "\"}");
        assertTrue(header(behindTls, "Set-Cookie").contains("; Secure"), header(behindTls, "Set-Cookie"));
        String out = header(new TestHttp(app.port()).send("DELETE", "/api/session", null), "Set-Cookie");
        assertTrue(out.contains("Max-Age=0") && out.contains("; Secure"), out);
        assertEquals("true", String.valueOf(AppConfig.fromEnv(Map.of("QRADAR_CONSOLE_FQDN", "c")).secureCookies()),
                "inside QRadar the browser only ever comes over the console's HTTPS");
        assertEquals(true, Json.mapper().readTree(behindTls.body()).get("admin").asBoolean());
    }
}
