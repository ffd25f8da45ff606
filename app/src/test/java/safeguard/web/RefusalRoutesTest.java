package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.TestHttp;
import safeguard.access.Refusals;

/** Abuse is cheap: refused credentials are counted, journaled as summaries and past a budget answered 429. */
class RefusalRoutesTest {
    static final String WRONG = "sgr_made-up-token-for-the-flood";
    @TempDir
    Path tmp;
    LocalApp app;
    TestHttp anonymous;

    @BeforeEach
    void start() {
        app = LocalApp.start(tmp.resolve("store"));
        anonymous = new TestHttp(app.app().port());
    }

    @AfterEach
    void stop() {
        app.close();
    }

    @Test
    void a_flood_of_wrong_action_tokens_writes_a_few_journal_records_and_turns_into_429() throws Exception {
        TestHttp wrong = anonymous.with("Authorization", "Bearer " + WRONG);
        int unauthorized = 0;
        HttpResponse<String> last = null;
        for (int i = 0; i < 200; i++) {
            last = wrong.send("POST", "/api/actions", "{}");
            if (last.statusCode() == 401) {
                unauthorized++;
            } else {
                assertEquals(429, last.statusCode(), last.body());
            }
        }
        assertEquals(Refusals.TOKEN_BUDGET - 1, unauthorized, "401 until the budget is used up");
        assertTooMany(last);
        long records = journal().lines().filter(l -> l.contains("\"event\":\"unauthorized\"")).count();
        assertTrue(records >= 1 && records <= 2, records + " journal records for 200 refusals");
        assertFalse(journal().contains(WRONG), "the token itself is never journaled");

        app.close(); // the rest of the minute is written at shutdown, as one summary with its counts
        long total = journal().lines().filter(l -> l.contains("\"event\":\"unauthorized\""))
                .mapToLong(RefusalRoutesTest::count).sum();
        assertEquals(200, total);
    }

    @Test
    void the_right_action_token_still_gets_through_while_its_client_is_throttled() throws Exception {
        String token = Json.mapper().readTree(app.http().send("POST", "/api/action-token/reveal", null).body())
                .get("token").asText();
        TestHttp wrong = anonymous.with("Authorization", "Bearer " + WRONG);
        for (int i = 0; i < Refusals.TOKEN_BUDGET; i++) {
            wrong.send("POST", "/api/actions", "{}");
        }
        assertEquals(429, wrong.send("POST", "/api/actions", "{}").statusCode());
        HttpResponse<String> right = anonymous.with("Authorization", "Bearer " + token).send("POST", "/api/actions", "{}");
        assertEquals(400, right.statusCode(), "past the token check: only the empty action is wrong");
        assertEquals("type", Json.mapper().readTree(right.body()).get("field").asText());
    }

    @Test
    void sign_in_answers_429_after_its_budget_even_for_the_right_token() throws Exception {
        for (int i = 0; i < Refusals.SIGN_IN_BUDGET; i++) {
            assertEquals(401, anonymous.send("POST", "/api/session", "{\"token\":\"sga_guess-" + i + "\"}").statusCode());
        }
        HttpResponse<String> r = anonymous.send("POST", "/api/session", "{\"token\":\"sga_guess-next\"}");
        assertTooMany(r);
    }

    @Test
    void wrong_admin_tokens_on_the_api_turn_into_429_and_the_right_one_still_works() throws Exception {
        TestHttp wrong = anonymous.with("Authorization", "Bearer sga_not-the-admin-token");
        for (int i = 0; i < Refusals.TOKEN_BUDGET - 1; i++) {
            assertEquals(401, wrong.get("/api/targets").statusCode());
        }
        assertTooMany(wrong.get("/api/targets"));
        assertEquals(200, app.http().get("/api/targets").statusCode(), "a right token is never turned away");
        assertEquals(401, anonymous.get("/api/targets").statusCode(), "no credentials at all: not counted, still 401");
    }

    private static void assertTooMany(HttpResponse<String> r) throws Exception {
        assertEquals(429, r.statusCode(), r.body());
        long retry = Long.parseLong(r.headers().firstValue("Retry-After").orElse("0"));
        assertTrue(retry >= 1 && retry <= 60, "Retry-After " + retry);
        JsonNode e = Json.mapper().readTree(r.body());
        assertEquals(429, e.get("status").asInt());
        assertTrue(e.get("error").asText().contains("wait"), r.body());
    }

    private static long count(String journalLine) {
        try {
            return Json.mapper().readTree(journalLine).at("/data/count").asLong();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private String journal() throws Exception {
        StringBuilder all = new StringBuilder();
        Path dir = tmp.resolve("store/journal");
        if (!Files.isDirectory(dir)) {
            return "";
        }
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : files.sorted().toList()) {
                all.append(Files.readString(f));
            }
        }
        return all.toString();
    }
}
