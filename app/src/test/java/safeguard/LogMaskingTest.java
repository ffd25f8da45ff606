package safeguard;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The shipped log pattern masks secrets whoever logs them, at every level (debug on for everything here). */
class LogMaskingTest {
    static final String PLANTED = "Pl4nted-Secret-Value-9f8e7d";

    @TempDir
    Path tmp;

    @Test
    void tokens_cookies_and_secs_are_masked_in_every_shape_a_library_prints_them() {
        Logger jetty = LoggerFactory.getLogger("org.eclipse.jetty.server.HttpChannel");
        Logger unirest = LoggerFactory.getLogger("kong.unirest.core.Unirest");
        try (CapturedLogs logs = new CapturedLogs()) {
            jetty.debug("request headers: Authorization: Bearer {}\r\nCookie: SEC={}; QRadarCSRF={}; safeguard_session={}",
                    PLANTED, PLANTED, PLANTED, PLANTED);
            jetty.debug("HttpFields[SEC: {}, Accept: application/json]", PLANTED);
            unirest.debug("headers {sec=[{}], authorization=[Basic {}]}", PLANTED, PLANTED);
            unirest.trace("body {\"token\":\"{}\",\"password\": \"{}\"}", PLANTED, PLANTED);
            jetty.info("bearer {} and the app's own tokens sga_{} sgr_{}", PLANTED, PLANTED, PLANTED);
            jetty.warn("failed", new IllegalStateException("upstream said: SEC=" + PLANTED + " Authorization: Bearer " + PLANTED));
            String text = logs.text();
            assertFalse(text.contains(PLANTED), text);
            assertTrue(text.contains("Bearer ***") && text.contains("SEC=***") && text.contains("safeguard_session=***")
                    && text.contains("sga_***"), text);
            assertTrue(text.contains("IllegalStateException"), "the stack trace is still there, masked: " + text);
        }
    }

    @Test
    void a_token_sent_to_the_app_reaches_no_log_with_jetty_and_javalin_at_debug() {
        try (CapturedLogs logs = new CapturedLogs(); LocalApp app = LocalApp.start(tmp.resolve("store"))) {
            TestHttp http = new TestHttp(app.app().port());
            http.with("Authorization", "Bearer sga_" + PLANTED).get("/api/targets");
            http.with("Cookie", "SEC=" + PLANTED + "; safeguard_session=" + PLANTED).get("/api/targets");
            http.with("SEC", PLANTED).get("/api/settings");
            http.send("POST", "/api/session", "{\"token\":\"sga_" + PLANTED + "\"}");
            app.http().send("POST", "/api/targets", "{\"kind\":\"scale\",\"name\":\"t\",\"host\":\"h\",\"username\":\"u\","
                    + "\"password\":\"" + PLANTED + "\",\"scale\":{\"fileSystem\":\"fs\"}}");
            String text = logs.text();
            assertTrue(text.length() > 1_000, "debug output was captured");
            assertFalse(text.contains(PLANTED), "a planted secret reached the log:\n"
                    + String.join("\n", text.lines().filter(l -> l.contains(PLANTED)).limit(10).toList()));
        }
    }
}
