package safeguard.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestTest {

    private static ObjectNode rootManifest() throws Exception {
        return (ObjectNode) ManifestRules.MAPPER.readTree(Path.of(System.getProperty("project.root"), "manifest.json").toFile());
    }

    private static JsonNode service(JsonNode manifest) {
        return manifest.get("services").get(0);
    }

    @Test
    void the_repository_manifest_passes_the_sdk_checks() throws Exception {
        assertEquals(List.of(), ManifestRules.violations(rootManifest()));
    }

    @Test
    void the_authorisation_asks_for_the_offenses_capability_the_offense_poller_needs() throws Exception {
        JsonNode asked = rootManifest().get("authentication").get("oauth2").get("requested_capabilities");
        List<String> names = new java.util.ArrayList<>();
        asked.forEach(c -> names.add(c.asText()));
        // GET /siem/offenses, its notes and /analytics/rules answer 403 without Offenses (SEM).
        assertTrue(names.contains("SEM"), names.toString());
    }

    @Test
    void the_service_runs_the_bundled_runtime_with_a_bounded_heap_and_logs_in_the_store() throws Exception {
        JsonNode s = service(rootManifest());
        String command = s.get("command").asText();
        assertTrue(command.startsWith("/opt/app-root/runtime/bin/java "), command);
        assertTrue(command.matches(".* -Xmx\\d+m .*"), command);
        assertTrue(command.endsWith(" -jar /opt/app-root/app/app.jar"), command);
        assertEquals(5000, s.get("port").asInt());
        assertTrue(s.get("stdout_logfile").asText().startsWith("/opt/app-root/store/log/"));
        assertTrue(s.get("stderr_logfile").asText().startsWith("/opt/app-root/store/log/"));
    }

    @Test
    void the_heap_leaves_room_inside_the_memory_quota() throws Exception {
        JsonNode m = rootManifest();
        String command = service(m).get("command").asText();
        int xmx = Integer.parseInt(command.replaceAll(".* -Xmx(\\d+)m .*", "$1"));
        int memory = m.get("resources").get("memory").asInt();
        // Metaspace, code cache, thread stacks and the JVM itself live outside the heap.
        assertTrue(xmx <= memory / 2, "Xmx " + xmx + " MB vs quota " + memory + " MB");
    }

    @Test
    void a_json_boolean_is_rejected_because_the_sdk_wants_strings() throws Exception {
        ObjectNode m = rootManifest();
        m.put("use_qradar_csrf", true);
        assertTrue(ManifestRules.violations(m).stream().anyMatch(v -> v.startsWith("schema:")));
    }

    @Test
    void an_invalid_uuid_is_rejected() throws Exception {
        ObjectNode m = rootManifest();
        m.put("uuid", "not-a-uuid");
        assertTrue(ManifestRules.violations(m).contains("uuid is not a valid UUID: not-a-uuid"));
    }

    @Test
    void a_java_server_not_on_port_5000_is_rejected() throws Exception {
        ObjectNode m = rootManifest();
        ((ObjectNode) m.get("services").get(0)).put("port", 5001);
        assertTrue(ManifestRules.violations(m).contains("load_flask is false but no service declares port 5000"));
    }

    @Test
    void an_uninstall_hook_naming_a_missing_rest_method_is_rejected() throws Exception {
        ObjectNode m = rootManifest();
        ((ArrayNode) m.get("rest_methods")).removeAll();
        assertTrue(ManifestRules.violations(m).stream()
                .anyMatch(v -> v.startsWith("uninstall_hooks names rest method")));
    }
}
