package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.text.SimpleDateFormat;
import java.time.Duration;
import java.time.Instant;
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

    /**
     * What each property must be, worked out without the DSM's expressions: the JSON properties as a JSON parser
     * decodes the record; Filename as the record spells the path's last component (QRadar applies that regex to the
     * raw payload, so escapes stay), found from the string token's own position; the time without its fraction.
     */
    private static Map<String, String> expectedProperties(String payload) throws IOException {
        JsonNode r = Json.mapper().readTree(payload);
        Map<String, String> m = new LinkedHashMap<>();
        String rawPath = rawTopLevelString(payload, "path");
        int lastSlash = -1;
        for (int i = 0; i < rawPath.length(); i++) {
            if (rawPath.charAt(i) == '\\') {
                i++; // an escape pair is never a separator
            } else if (rawPath.charAt(i) == '/') {
                lastSlash = i;
            }
        }
        if (lastSlash < rawPath.length() - 1) {
            m.put("Filename", rawPath.substring(lastSlash + 1));
        }
        putIfPresent(m, "File path", r, "path");
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
        JsonNode time = r.get("eventTime");
        if (time != null && time.isTextual()) {
            m.put("Audit event time", time.asText().replaceFirst("^(.{19})\\.\\d+", "$1"));
        }
        return m;
    }

    private static void putIfPresent(Map<String, String> m, String property, JsonNode r, String field) {
        JsonNode v = r.get(field);
        if (v != null && !v.isNull() && !v.asText().isEmpty()) {
            m.put(property, v.asText());
        }
    }

    /** The characters between the quotes of a top-level string value, escapes undecoded. */
    private static String rawTopLevelString(String payload, String key) throws IOException {
        try (JsonParser p = new JsonFactory().createParser(payload)) {
            p.nextToken();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                JsonToken value = p.nextToken();
                if (name.equals(key) && value == JsonToken.VALUE_STRING) {
                    int start = (int) p.currentTokenLocation().getCharOffset();
                    p.finishToken();
                    return payload.substring(start + 1, (int) p.currentLocation().getCharOffset() - 1);
                }
                p.skipChildren();
            }
        }
        throw new AssertionError("no top-level string " + key + " in " + payload);
    }

    /**
     * Lines a real rsyslog (8.2302) forwarded with each of its stock templates (scale-audit/rsyslog/regenerate.sh
     * made them): traditional, RFC 3164 with high-precision time (RSYSLOG_ForwardFormat, the default of omfwd) and
     * RFC 5424. Each yields the sending host as identifier, and the same properties as the record itself.
     */
    @Test
    void every_header_rsyslogs_stock_templates_write_yields_the_host_as_log_source_identifier() throws Exception {
        for (String template : List.of("traditional", "forward", "syslog-protocol23")) {
            List<String> lines = resource("rsyslog/" + template + ".log");
            assertEquals(6, lines.size(), template);
            for (String line : lines) {
                ParseResult.Parsed p = parsed(line);
                assertEquals("node1", p.logSourceIdentifier(), template + ": " + line);
                String payload = line.substring(line.indexOf('{'));
                assertEquals(expectedProperties(payload), p.properties(), line);
            }
        }
    }

    @Test
    void every_fixture_event_parses_with_each_property_exactly_as_a_json_parser_reads_it() throws Exception {
        List<String> lines = resource("sample-events.log");
        assertEquals(42, lines.size());
        for (String line : lines) {
            String payload = line.substring(line.indexOf('{'));
            ParseResult.Parsed p = parsed(line);
            assertEquals(line.split(" ")[3], p.logSourceIdentifier(), line);
            assertEquals(Json.mapper().readTree(payload).get("event").asText(), p.eventId());
            assertEquals("FileAudit", p.eventCategory());
            assertEquals(expectedProperties(payload), p.properties(), line);
            assertTrue(p.properties().containsKey("Audit event time"), "every fixture time parses: " + line);
        }
    }

    @Test
    void every_record_of_the_edge_case_and_special_name_fixtures_matches_the_json_parser_too() throws Exception {
        int records = 0;
        for (String file : List.of("edge-cases.log", "special-names.log")) {
            for (String line : resource(file)) {
                if (parser.parse(line) instanceof ParseResult.Parsed p) {
                    assertEquals(expectedProperties(line.substring(line.indexOf('{'))), p.properties(), line);
                    records++;
                }
            }
        }
        assertEquals(9 + 3, records);
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
    void the_json_path_property_decodes_escapes_while_the_filename_regex_keeps_them_as_written() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(1));
        assertEquals("/gpfs/fs1/a\\b/say \"hi\".txt", p.properties().get("File path"));
        assertEquals("say \\\"hi\\\".txt", p.properties().get("Filename"));
        assertEquals("1000", p.properties().get("clientUserID"));
    }

    @Test
    void a_name_written_raw_or_as_unicode_escapes_is_one_file_path_but_the_filename_keeps_its_spelling()
            throws Exception {
        List<String> lines = resource("special-names.log");
        ParseResult.Parsed raw = parsed(lines.get(0));
        ParseResult.Parsed escaped = parsed(lines.get(1));
        ParseResult.Parsed quoted = parsed(lines.get(2));
        assertTrue(lines.get(1).contains("r\\u00e9sum\\u00e9.docx"), "the fixture holds the escapes themselves");
        assertEquals("/gpfs/fs1/HR/r\u00e9sum\u00e9.docx", raw.properties().get("File path"));
        assertEquals("/gpfs/fs1/HR/r\u00e9sum\u00e9.docx", escaped.properties().get("File path"));
        assertEquals("r\u00e9sum\u00e9.docx", raw.properties().get("Filename"));
        assertEquals("r\\u00e9sum\\u00e9.docx", escaped.properties().get("Filename"));
        assertEquals("/gpfs/fs1/Finance/budget \"final\".csv", quoted.properties().get("File path"));
        assertEquals("budget \\\"final\\\".csv", quoted.properties().get("Filename"));
    }

    private static String record(String fields) {
        return "<163>Jan  1 10:00:00 scale-a FAL {\"LWE_JSON\": \"0.0.5\", \"event\": \"OPEN\", " + fields + "}";
    }

    @Test
    void json_null_missing_and_empty_values_give_no_property_and_numbers_and_booleans_give_their_text() {
        ParseResult.Parsed p = parsed(record("\"path\": \"/gpfs/fs1/a.txt\", \"oldPath\": null, \"nfsClientIp\": \"\", "
                + "\"inode\": 42, \"fsName\": 12.50, \"nodeName\": true, \"clientUserId\": null, \"fileSize\": \"\""));
        assertEquals(Map.of("Filename", "a.txt", "File path", "/gpfs/fs1/a.txt", "Inode", "42", "File system", "12.50",
                "Node", "true"), p.properties());
    }

    @Test
    void a_json_value_that_is_an_object_or_array_or_only_appears_nested_gives_no_top_level_property() {
        ParseResult.Parsed p = parsed(record("\"path\": {\"nodeName\": \"inner\"}, \"oldPath\": [\"/a\", \"/b\"], "
                + "\"acls\": {\"fsName\": \"inner\"}, \"x\": [{\"inode\": \"1\"}], \"fsName\": \"gpfs01\""));
        assertEquals(Map.of("File system", "gpfs01"), p.properties());
    }

    @Test
    void a_nested_key_path_finds_its_value_and_nothing_else() throws Exception {
        var root = (com.fasterxml.jackson.databind.node.ObjectNode) Json.mapper().readTree(
                DsmParserTest.class.getResourceAsStream(Dsm.BUNDLED));
        ((com.fasterxml.jackson.databind.node.ObjectNode) root.get("customProperties").get(1))
                .put("json", "/\"meta\"/\"host\"");
        DsmParser nested = new DsmParser(Dsm.load(new java.io.ByteArrayInputStream(
                Json.mapper().writeValueAsBytes(root))));
        String line = record("\"path\": \"/gpfs/fs1/a.txt\", \"host\": \"top\", \"other\": {\"host\": \"wrong\"}, "
                + "\"meta\": {\"list\": [{\"host\": \"in-array\"}], \"host\": \"n\\u00f6de-1\"}");
        ParseResult.Parsed p = assertInstanceOf(ParseResult.Parsed.class, nested.parse(line));
        assertEquals("n\u00f6de-1", p.properties().get("File path"));
    }

    @Test
    void the_event_time_with_or_without_a_fraction_reads_as_the_same_second_and_an_impossible_time_as_none()
            throws Exception {
        SimpleDateFormat qradar = new SimpleDateFormat(DSM.customProperties().stream()
                .filter(c -> c.name().equals("Audit event time")).findFirst().orElseThrow().datetimeFormat());
        qradar.setLenient(false);
        String withFraction = parsed(record("\"path\": \"/a\", \"eventTime\": \"2022-11-15_00:31:22.048-0500\""))
                .properties().get("Audit event time");
        String without = parsed(record("\"path\": \"/a\", \"eventTime\": \"2022-11-15_00:31:22-0500\""))
                .properties().get("Audit event time");
        assertEquals("2022-11-15_00:31:22-0500", withFraction);
        assertEquals(withFraction, without);
        assertEquals(Instant.parse("2022-11-15T05:31:22Z"), qradar.parse(withFraction).toInstant());
        for (String bad : List.of("2022-13-45_25:61:00+0000", "2022-11-15T00:31:22-0500", "yesterday")) {
            assertFalse(parsed(record("\"path\": \"/a\", \"eventTime\": \"" + bad + "\""))
                    .properties().containsKey("Audit event time"), bad);
        }
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
        assertEquals("2024-01-01_10:00:07-0700", p.properties().get("Audit event time"));
    }

    @Test
    void text_inside_a_value_that_mimics_a_key_does_not_fool_the_other_properties() throws Exception {
        ParseResult.Parsed p = parsed(resource("edge-cases.log").get(8));
        assertEquals("5000", p.properties().get("clientUserID"));
        assertEquals("/gpfs/fs1/evil\", \"clientUserId\": \"0\", \"x\": \".txt", p.properties().get("File path"));
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
            for (PropertyReader r : DSM.propertyReaders()) {
                if (r.regex() != null) {
                    r.regex().apply(line);
                }
            }
            e2e(line);
        });
    }

    private void e2e(String line) {
        ParseResult.Parsed p = parsed(line);
        assertFalse(p.properties().containsKey("clientUserID"), "a non-numeric uid is not a uid");
    }
}
