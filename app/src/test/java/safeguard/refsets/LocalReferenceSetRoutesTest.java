package safeguard.refsets;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;
import safeguard.LocalApp;
import safeguard.TestHttp;

/** Outside QRadar the reference sets live in the store, seeded from reference-sets/. */
class LocalReferenceSetRoutesTest {
    static final String USERS = "/api/reference-sets/Authorized-Sales-Users";
    static final String FILES = "/api/reference-sets/Confidential-Files";

    @TempDir
    Path tmp;
    LocalApp local;
    TestHttp http;

    @BeforeEach
    void start() {
        local = LocalApp.start(tmp.resolve("store"));
        http = local.http();
    }

    @AfterEach
    void stop() {
        local.close();
    }

    private List<String> values(String path) throws Exception {
        return Json.mapper().readTree(http.get(path).body()).get("elements").findValuesAsText("value");
    }

    @Test
    void the_sets_start_with_the_bundled_elements_and_say_where_they_live() throws Exception {
        JsonNode list = Json.mapper().readTree(http.get("/api/reference-sets").body());
        assertEquals(List.of("Authorized-Sales-Users", "Confidential-Files"), list.findValuesAsText("name"));
        assertEquals("local", list.get(0).get("where").asText());
        assertEquals(List.of("2001", "2002"), values(USERS));
        assertEquals(List.of("car-sales-figures-YOY-2021-22.csv", "q3-forecast.xlsx", "salaries-2022.csv"), values(FILES));
        assertEquals(404, http.get("/api/reference-sets/Someone-Elses-Set").statusCode());
    }

    @Test
    void values_are_added_once_and_a_bad_one_names_its_index_and_writes_nothing() throws Exception {
        var r = http.send("POST", USERS + "/elements", "{\"values\":[\"2010\", \"2001\", \"2010\", \"2011.0\"]}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode result = Json.mapper().readTree(r.body());
        assertEquals(2, result.get("added").asInt());
        assertEquals(1, result.get("alreadyPresent").asInt());
        assertEquals(4, result.get("count").asInt());
        assertEquals(List.of("2001", "2002", "2010", "2011.0"), values(USERS));

        byte[] before = Files.readAllBytes(tmp.resolve("store/reference-sets/Authorized-Sales-Users.jsonl"));
        var bad = http.send("POST", USERS + "/elements", "{\"values\":[\"2020\", \"alice\"]}");
        assertEquals(400, bad.statusCode());
        JsonNode error = Json.mapper().readTree(bad.body());
        assertEquals("values[1]", error.get("field").asText());
        assertTrue(error.get("error").asText().startsWith("\"alice\" is not a number"), bad.body());
        assertArrayEquals(before, Files.readAllBytes(tmp.resolve("store/reference-sets/Authorized-Sales-Users.jsonl")), "no partial write");
        assertEquals("values", Json.mapper().readTree(http.send("POST", USERS + "/elements", "{\"values\":[]}").body())
                .get("field").asText());
    }

    @Test
    void a_csv_import_takes_the_first_column_and_points_at_the_bad_line() throws Exception {
        String csv = "\uFEFFvalue,owner\r\n\"budget, 2027.xlsx\",finance\r\n\r\nsalaries-2022.csv,hr\r\n\"say \"\"hi\"\".docx\"\r\n";
        var r = http.send("POST", FILES + "/import", csv);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(2, Json.mapper().readTree(r.body()).get("added").asInt());
        assertTrue(values(FILES).containsAll(List.of("budget, 2027.xlsx", "say \"hi\".docx")), values(FILES).toString());

        var bad = http.send("POST", USERS + "/import", "uid\n2030\n20x1\n");
        assertEquals(400, bad.statusCode());
        JsonNode error = Json.mapper().readTree(bad.body());
        assertEquals("csv", error.get("field").asText());
        assertTrue(error.get("error").asText().startsWith("line 1: \"uid\" is not a number"), bad.body());
        assertEquals(List.of("2001", "2002"), values(USERS), "nothing imported");
        var unclosed = http.send("POST", USERS + "/import", "2040\n\"2041\n");
        assertEquals("line 2: a quoted value is not closed", Json.mapper().readTree(unclosed.body()).get("error").asText());
    }

    @Test
    void a_value_is_removed_even_with_a_slash_in_it_and_survives_a_restart() throws Exception {
        http.send("POST", FILES + "/elements", "{\"values\":[\"q4/plan.xlsx\"]}");
        assertEquals(204, http.send("DELETE", FILES + "/elements/q4%2Fplan.xlsx", null).statusCode());
        assertEquals(204, http.send("DELETE", FILES + "/elements/salaries-2022.csv", null).statusCode());
        assertEquals(404, http.send("DELETE", FILES + "/elements/salaries-2022.csv", null).statusCode());
        local.close();
        local = LocalApp.start(tmp.resolve("store"));
        http = local.http();
        assertEquals(List.of("car-sales-figures-YOY-2021-22.csv", "q3-forecast.xlsx"), values(FILES));
    }
}
