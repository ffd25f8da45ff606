package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.util.HashSet;
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
        assertTrue(e.getMessage().startsWith("invalid DSM definition: Unclosed group"), e.getMessage());
    }

    @Test
    void a_capture_group_that_does_not_exist_is_rejected() throws Exception {
        ObjectNode root = repositoryDsm();
        ((ObjectNode) root.get("customProperties").get(0)).put("captureGroup", 3);
        assertThrows(InvalidInputException.class,
                () -> Dsm.load(new ByteArrayInputStream(Json.mapper().writeValueAsBytes(root))));
    }
}
