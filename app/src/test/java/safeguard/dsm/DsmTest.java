package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import safeguard.InvalidInputException;
import safeguard.Json;

class DsmTest {

    private static ObjectNode repositoryDsm() throws Exception {
        return (ObjectNode) Json.mapper().readTree(
                Path.of(System.getProperty("project.root"), "dsm/ibm-storage-scale-file-audit.json").toFile());
    }

    @Test
    void the_jar_carries_the_repository_dsm_unchanged() throws Exception {
        JsonNode inJar = Json.mapper().readTree(Dsm.class.getResourceAsStream(Dsm.BUNDLED));
        assertEquals(repositoryDsm(), inJar);
    }

    @Test
    void names_are_unique_and_every_category_used_is_documented() throws Exception {
        JsonNode root = repositoryDsm();
        Set<String> names = new HashSet<>();
        for (CustomProperty p : Dsm.bundled().customProperties()) {
            assertTrue(names.add(p.name()), "duplicate property " + p.name());
            assertTrue(Set.of("string", "numeric", "ip", "port", "time").contains(p.type()), p.type());
        }
        for (QidRecord q : Dsm.bundled().qidRecords()) {
            JsonNode llc = root.path("lowLevelCategories").path(Integer.toString(q.lowLevelCategoryId()));
            assertEquals(llc.path("name").asText(), q.lowLevelCategory(), q.eventId());
            assertTrue(q.severity() >= 1 && q.severity() <= 10);
        }
        for (String seed : new String[] {"Filename", "File path", "clientUserID", "clientGroupID"}) {
            assertTrue(names.contains(seed), "the seed's property " + seed + " must exist");
        }
    }

    @Test
    void a_dsm_change_with_a_broken_regex_is_rejected_naming_the_problem() throws Exception {
        ObjectNode root = repositoryDsm();
        ((ObjectNode) root.get("customProperties").get(0)).put("regex", "\"path\": \"(unclosed");
        InvalidInputException e = assertThrows(InvalidInputException.class,
                () -> Dsm.load(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(root))));
        assertEquals("invalid DSM definition: custom property \"Filename\": Unclosed group at index 18 of regex "
                + "\"path\": \"(unclosed", e.getMessage());
    }

    @Test
    void a_capture_group_that_does_not_exist_is_rejected() throws Exception {
        ObjectNode root = repositoryDsm();
        ((ObjectNode) root.get("customProperties").get(0)).put("captureGroup", 3);
        assertThrows(InvalidInputException.class,
                () -> Dsm.load(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(root))));
    }

    private static InvalidInputException refused(ObjectNode root) {
        return assertThrows(InvalidInputException.class,
                () -> Dsm.load(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(root))));
    }

    private static ObjectNode property(ObjectNode root, String name) {
        for (JsonNode p : root.get("customProperties")) {
            if (p.get("name").asText().equals(name)) {
                return (ObjectNode) p;
            }
        }
        throw new AssertionError("no property " + name);
    }

    @Test
    void whole_top_level_values_are_json_key_paths_and_only_parts_of_values_keep_a_regex() {
        Map<String, String> keys = new LinkedHashMap<>();
        for (CustomProperty p : Dsm.bundled().customProperties()) {
            keys.put(p.name(), p.isJson() ? p.jsonExpression() : "regex");
            assertTrue(p.isJson() == (p.regex() == null), p.name());
        }
        assertEquals(Map.ofEntries(Map.entry("Filename", "regex"), Map.entry("File path", "/\"path\""),
                Map.entry("clientUserID", "/\"clientUserId\""), Map.entry("clientGroupID", "/\"clientGroupId\""),
                Map.entry("Old file path", "/\"oldPath\""), Map.entry("File system", "/\"fsName\""),
                Map.entry("Node", "/\"nodeName\""), Map.entry("NFS client IP", "/\"nfsClientIp\""),
                Map.entry("Process ID", "/\"processId\""), Map.entry("Inode", "/\"inode\""),
                Map.entry("File size", "/\"fileSize\""), Map.entry("Bytes written", "/\"bytesWritten\""),
                Map.entry("Audit event time", "regex")), keys);
    }

    @Test
    void a_property_with_both_a_json_expression_and_a_regex_or_neither_is_refused() throws Exception {
        ObjectNode root = repositoryDsm();
        property(root, "File path").put("regex", "\"path\":\\s*+\"([^\"]++)\"");
        assertEquals("invalid DSM definition: custom property \"File path\" must have exactly one of a JSON "
                + "expression (\"json\") and a regex (\"regex\"), it has both", refused(root).getMessage());
        property(root, "File path").remove(List.of("regex", "json"));
        assertTrue(refused(root).getMessage().endsWith("it has neither"));
    }

    @Test
    void a_json_expression_that_is_not_a_key_path_or_carries_regex_settings_is_refused() throws Exception {
        ObjectNode root = repositoryDsm();
        property(root, "Node").put("json", "nodeName");
        assertEquals("invalid DSM definition: custom property \"Node\": JSON expression nodeName is not a key path "
                + "such as /\"path\" or /\"a\"/\"b\"", refused(root).getMessage());
        property(root, "Node").put("json", "/\"nodeName\"").put("captureGroup", 1);
        assertTrue(refused(root).getMessage().contains("captureGroup and formatString belong to a regex"));
    }

    @Test
    void a_datetime_format_simple_date_format_rejects_is_refused_naming_the_property() throws Exception {
        ObjectNode root = repositoryDsm();
        property(root, "Audit event time").put("datetimeFormat", "yyyy-MM-dd_HH:mm:ss VV");
        assertEquals("invalid DSM definition: custom property \"Audit event time\": datetimeFormat "
                + "yyyy-MM-dd_HH:mm:ss VV is not a Java SimpleDateFormat pattern (Illegal pattern character 'V')",
                refused(root).getMessage());
    }

    @Test
    void datetime_formatter_optional_sections_are_refused_although_simple_date_format_would_take_them_literally()
            throws Exception {
        ObjectNode root = repositoryDsm();
        property(root, "Audit event time").put("datetimeFormat", "yyyy-MM-dd_HH:mm:ss[.SSS]Z");
        new java.text.SimpleDateFormat("yyyy-MM-dd_HH:mm:ss[.SSS]Z"); // accepted: the brackets are literal text
        assertTrue(refused(root).getMessage().contains("uses [ ], DateTimeFormatter's optional sections"));
        property(root, "Audit event time").put("datetimeFormat", "'['yyyy-MM-dd_HH:mm:ssZ']'");
        Dsm.load(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(root)));
        property(root, "Audit event time").remove("datetimeFormat");
        assertTrue(refused(root).getMessage().endsWith("a time property needs a datetimeFormat"));
    }

    @Test
    void the_bundled_time_format_is_a_simple_date_format_every_time_value_fits() throws Exception {
        CustomProperty time = Dsm.bundled().customProperties().stream()
                .filter(p -> p.type().equals("time")).findFirst().orElseThrow();
        assertEquals("yyyy-MM-dd_HH:mm:ssZ", time.datetimeFormat());
        assertEquals("$1$2", time.formatString());
        java.text.SimpleDateFormat f = new java.text.SimpleDateFormat(time.datetimeFormat());
        f.setLenient(false);
        assertEquals(java.time.Instant.parse("2024-01-01T17:00:07Z"), f.parse("2024-01-01_10:00:07-0700").toInstant());
    }

    @Test
    void a_format_string_referring_to_a_missing_group_is_refused() throws Exception {
        ObjectNode root = repositoryDsm();
        property(root, "Audit event time").put("formatString", "$1$3");
        assertTrue(refused(root).getMessage().contains("format string $1$3 refers to $3, which does not exist"));
    }
}
