package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import safeguard.Json;

class DsmParserTest {
    static final Dsm DSM = Dsm.bundled();
    private final DsmParser parser = new DsmParser(DSM);

    static List<String> resource(String name) throws IOException {
        try (InputStream in = DsmParserTest.class.getResourceAsStream("/scale-audit/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }

    private ParseResult.Parsed parsed(String line) {
        return assertInstanceOf(ParseResult.Parsed.class, parser.parse(line), line);
    }

    /** What each property must be, worked out with a real JSON parser rather than a regex. */
    private static Map<String, String> expectedProperties(JsonNode r) {
        Map<String, String> m = new LinkedHashMap<>();
        String path = r.get("path").asText();
        m.put("Filename", path.substring(path.lastIndexOf('/') + 1));
        m.put("File path", path);
        putIfPresent(m, "clientUserID", r, "clientUserId");
        putIfPresent(m, "clientGroupID", r, "clientGroupId");
        putIfPresent(m, "Old file path", r, "oldPath");
        putIfPresent(m, "File system", r, "fsName");
        putIfPresent(m, "Node", r, "nodeName");
        putIfPresent(m, "NFS client IP", r, "nfsClientIp");
        putIfPresent(m, "Process ID", r, "processId");
        putIfPresent(m, "Inode", r, "inode");
        putIfPresent(m, "File size", r, "fileSize");
        putIfPresent(m, "Bytes written", r, "bytesWritten");
        putIfPresent(m, "Audit event time", r, "eventTime");
        return m;
    }

    private static void putIfPresent(Map<String, String> m, String property, JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
            m.put(property, v.asText());
        }
    }

    @Test
    void every_fixture_event_parses_with_each_property_exactly_as_a_json_parser_reads_it() throws Exception {
        List<String> lines = resource("sample-events.log");
        assertEquals(42, lines.size());
        for (String line : lines) {
            JsonNode record = Json.mapper().readTree(line.substring(line.indexOf('{')));
            ParseResult.Parsed p = parsed(line);
            assertEquals(line.split(" ")[3], p.logSourceIdentifier(), line);
            assertEquals(record.get("event").asText(), p.eventId());
            assertEquals("FileAudit", p.eventCategory());
            assertEquals(expectedProperties(record), p.properties(), line);
        }
    }

    @Test
    void every_event_of_both_record_versions_has_its_own_qid() throws Exception {
        Set<String> events = Set.of("OPEN", "CLOSE", "CLOSEWRITE", "CREATE", "RENAME", "UNLINK", "RMDIR",
                "ACLCHANGE", "XATTRCHANGE", "GPFSATTRCHANGE", "ACCESS_DENIED", "DESTROY");
        for (String e : events) {
            QidRecord q = DSM.qidFor(e);
            assertFalse(q == DSM.fallbackQid(), e + " maps to the fallback");
            assertEquals(e, q.eventId());
        }
        for (String line : resource("sample-events.log")) {
            assertTrue(events.contains(parsed(line).eventId()));
        }
        assertEquals(events.size(), DSM.qidRecords().size());
    }

    @Test
    void a_name_with_spaces_and_another_extension_is_captured_whole() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(0));
        assertEquals("Q3 report final.docx", p.properties().get("Filename"));
        assertEquals("/gpfs/fs1/Sales Team/Q3 report final.docx", p.properties().get("File path"));
    }

    @Test
    void json_escaped_quotes_and_backslashes_stay_inside_the_value_as_qradar_stores_them() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(1));
        assertEquals("say \\\"hi\\\".txt", p.properties().get("Filename"));
        assertEquals("/gpfs/fs1/a\\\\b/say \\\"hi\\\".txt", p.properties().get("File path"));
        assertEquals("1000", p.properties().get("clientUserID"));
    }

    @Test
    void non_ascii_names_are_kept_intact() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(2));
        assertEquals("Übersicht 2024 — 東京.pdf", p.properties().get("Filename"));
        assertEquals("/gpfs/fs1/Verträge/Übersicht 2024 — 東京.pdf", p.properties().get("File path"));
    }

    @Test
    void a_deep_path_yields_its_last_component() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(3));
        assertEquals("Makefile", p.properties().get("Filename"));
        assertTrue(p.properties().get("File path").endsWith("/d59/Makefile"));
    }

    @Test
    void rmdir_names_the_directory_and_null_fields_are_absent() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(4));
        assertEquals("RMDIR", p.eventId());
        assertEquals("Storage Scale Directory Removed", p.qid().name());
        assertEquals("old", p.properties().get("Filename"));
        assertEquals("10.1.2.3", p.properties().get("NFS client IP"));
        assertFalse(p.properties().containsKey("Old file path"));
    }

    @Test
    void absent_fields_give_no_property_and_rfc5424_headers_give_the_host() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(5));
        assertEquals("scale-b", p.logSourceIdentifier());
        assertFalse(p.properties().containsKey("clientUserID"));
        assertFalse(p.properties().containsKey("Bytes written"));
        assertFalse(p.properties().containsKey("NFS client IP"), "an empty nfsClientIp means local access");
        assertEquals("100", p.properties().get("clientGroupID"));
    }

    @Test
    void an_unknown_event_maps_to_the_fallback_qid_instead_of_being_dropped() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(6));
        assertEquals("TRUNCATE", p.eventId());
        assertEquals(DSM.fallbackQid(), p.qid());
        assertEquals("Unknown System Event", p.qid().lowLevelCategory());
        assertEquals("y.bin", p.properties().get("Filename"));
    }

    @Test
    void a_raw_audit_log_line_parses_without_an_identifier_and_rename_keeps_the_old_path() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(7));
        assertNull(p.logSourceIdentifier());
        assertEquals("/gpfs/fs1/old name.txt", p.properties().get("Old file path"));
        assertEquals("new name.txt", p.properties().get("Filename"));
        assertEquals("2024-01-01_10:00:07.123-0700", p.properties().get("Audit event time"));
    }

    @Test
    void text_inside_a_value_that_mimics_a_key_does_not_fool_the_other_properties() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(8));
        assertEquals("5000", p.properties().get("clientUserID"));
        assertTrue(p.properties().get("File path").startsWith("/gpfs/fs1/evil\\\""));
    }

    @Test
    void other_syslog_traffic_truncated_records_and_foreign_json_are_rejected_with_a_reason() throws Exception {
        List<String> lines = resource("edge-cases.log");
        assertEquals("not a Storage Scale audit event: no JSON record",
                assertInstanceOf(ParseResult.Rejected.class, parser.parse(lines.get(9))).reason());
        assertEquals("truncated Storage Scale audit record (the JSON object does not end)",
                assertInstanceOf(ParseResult.Rejected.class, parser.parse(lines.get(10))).reason());
        assertEquals("not a Storage Scale audit event: no \"LWE_JSON\" field",
                assertInstanceOf(ParseResult.Rejected.class, parser.parse(lines.get(11))).reason());
    }

    @Test
    void adversarial_values_do_not_cause_catastrophic_backtracking() {
        // Long runs of the characters the expressions branch on, with the closing quote missing. A backtracking
        // blow-up here takes hours; linear matching takes milliseconds. The bound only catches a hang.
        String slashes = "/a".repeat(50_000);
        String escapes = "\\\\\\\"".repeat(25_000);
        String line = "{\"LWE_JSON\": \"0.0.5\", \"path\": \"" + slashes + escapes + "\", \"event\": \"OPEN\", "
                + "\"clientUserId\": \"" + "1".repeat(100_000) + "x\"}";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> {
            for (Extraction e : DSM.propertyExtractions()) {
                e.apply(line);
            }
            e2e(line);
        });
    }

    private void e2e(String line) {
        ParseResult.Parsed p = parsed(line);
        assertFalse(p.properties().containsKey("clientUserID"), "a non-numeric uid is not a uid");
    }
}
