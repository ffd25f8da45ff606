package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

class ParseCliTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String stdin, String... args) {
        return ParseCli.run(List.of(args), new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private List<JsonNode> output() throws Exception {
        return out.toString(StandardCharsets.UTF_8).lines().map(l -> {
            try {
                return Json.mapper().readTree(l);
            } catch (Exception e) {
                throw new AssertionError("not JSON: " + l, e);
            }
        }).toList();
    }

    @Test
    void good_and_bad_lines_each_get_one_json_object_and_the_run_succeeds() throws Exception {
        String good = DsmParserTest.resource("sample-events.log").get(4);
        int status = run("<13>Nov 15 00:00:00 web nginx: GET /\n" + good + "\n{\"LWE_JSON\": \"0.0.5\", \"pa\n");
        assertEquals(0, status);
        List<JsonNode> lines = output();
        assertEquals(3, lines.size());
        assertEquals(1, lines.get(0).get("line").asInt());
        assertEquals("not a Storage Scale audit event: no JSON record", lines.get(0).get("error").asText());
        JsonNode rename = lines.get(1);
        assertEquals(2, rename.get("line").asInt());
        assertEquals("scale-node-1", rename.get("logSourceIdentifier").asText());
        assertEquals("RENAME", rename.get("eventId").asText());
        assertEquals("FileAudit", rename.get("eventCategory").asText());
        assertEquals("Storage Scale File Renamed", rename.at("/qid/name").asText());
        assertEquals("Successful File Modification", rename.at("/qid/lowLevelCategory").asText());
        assertEquals("car-sales-figures-YOY-2021-22.csv", rename.at("/properties/Filename").asText());
        assertEquals("/gpfs/fs1/projects/alpha/design.pdf", rename.at("/properties/Old file path").asText());
        assertTrue(lines.get(2).get("error").asText().startsWith("truncated"));
        assertEquals("", err.toString(StandardCharsets.UTF_8));
    }

    @Test
    void a_file_argument_is_read_and_line_numbers_count_blank_lines(@TempDir Path tmp) throws Exception {
        Path log = Files.writeString(tmp.resolve("audit.log"),
                DsmParserTest.resource("sample-events.log").get(0) + "\n\n" + DsmParserTest.resource("sample-events.log").get(1) + "\n");
        assertEquals(0, run("", log.toString()));
        List<JsonNode> lines = output();
        assertEquals(List.of(1, 3), lines.stream().map(l -> l.get("line").asInt()).toList());
    }

    @Test
    void a_changed_dsm_is_applied_so_admins_can_check_it_before_deploying(@TempDir Path tmp) throws Exception {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(
                ParseCli.class.getResourceAsStream(Dsm.BUNDLED));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("qidRecords").get(0)).put("name", "Changed Open");
        Path dsm = tmp.resolve("dsm.json");
        Json.mapper().writeValue(dsm.toFile(), root);
        assertEquals(0, run(DsmParserTest.resource("sample-events.log").get(0) + "\n", "--dsm", dsm.toString()));
        assertEquals("Changed Open", output().get(0).at("/qid/name").asText());
    }

    @Test
    void an_unreadable_input_or_broken_dsm_exits_2_with_one_line(@TempDir Path tmp) throws Exception {
        Path missing = tmp.resolve("missing.log");
        assertEquals(2, run("", missing.toString()));
        assertEquals("parse: cannot read " + missing + ": no such file\n", err.toString(StandardCharsets.UTF_8));
        err.reset();
        assertEquals(2, run("", "a.log", "b.log"));
        assertEquals(ParseCli.USAGE + "\n", err.toString(StandardCharsets.UTF_8), "one input at a time");
        err.reset();
        Path broken = Files.writeString(tmp.resolve("dsm.json"), "{\"logSourceType\": {}}");
        assertEquals(2, run("", "--dsm", broken.toString()));
        String message = err.toString(StandardCharsets.UTF_8);
        assertEquals("parse: invalid DSM definition: missing \"name\"", message.strip());
        assertFalse(message.contains("Exception"));
    }
}
