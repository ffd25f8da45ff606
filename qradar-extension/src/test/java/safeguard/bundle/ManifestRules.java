package safeguard.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * What the QRadar app SDK checks before it accepts a manifest: its JSON schema (draft 4, copied from the SDK),
 * plus the rules it enforces in code — a valid uuid, some service on port 5000 when Flask is off, and every
 * rest method that hooks or dashboard items name must exist.
 */
final class ManifestRules {
    static final ObjectMapper MAPPER = new ObjectMapper();
    private static final JsonSchema SCHEMA = loadSchema();

    private ManifestRules() {
    }

    static List<String> violations(JsonNode manifest) {
        List<String> problems = new ArrayList<>();
        for (ValidationMessage m : SCHEMA.validate(manifest)) {
            problems.add("schema: " + m.getMessage());
        }
        String uuid = manifest.path("uuid").asText("");
        try {
            if (!UUID.fromString(uuid).toString().equalsIgnoreCase(uuid)) {
                problems.add("uuid is not in canonical form: " + uuid);
            }
        } catch (IllegalArgumentException e) {
            problems.add("uuid is not a valid UUID: " + uuid);
        }
        if ("false".equals(manifest.path("load_flask").asText())) {
            boolean on5000 = false;
            for (JsonNode s : manifest.path("services")) {
                on5000 |= s.path("port").asInt() == 5000;
            }
            if (!on5000) {
                problems.add("load_flask is false but no service declares port 5000");
            }
        }
        Set<String> methods = new HashSet<>();
        for (JsonNode m : manifest.path("rest_methods")) {
            methods.add(m.path("name").asText());
        }
        for (String section : List.of("uninstall_hooks", "dashboard_items", "gui_actions", "metadata_providers")) {
            for (JsonNode item : manifest.path(section)) {
                String ref = item.path("rest_method").asText(null);
                if (ref != null && !methods.contains(ref)) {
                    problems.add(section + " names rest method '" + ref + "' which is not in rest_methods");
                }
            }
        }
        Set<String> serviceNames = new HashSet<>();
        for (JsonNode s : manifest.path("services")) {
            if (!serviceNames.add(s.path("name").asText())) {
                problems.add("duplicate service name " + s.path("name").asText());
            }
        }
        for (String section : List.of("areas", "configuration_pages", "rest_methods")) {
            for (JsonNode item : manifest.path(section)) {
                String named = item.path("named_service").asText(null);
                if (named != null && !serviceNames.contains(named)) {
                    problems.add(section + " names service '" + named + "' which is not in services");
                }
            }
        }
        return problems;
    }

    private static JsonSchema loadSchema() {
        try (InputStream in = ManifestRules.class.getResourceAsStream("/qradar/manifest-schema.json")) {
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V4).getSchema(MAPPER.readTree(in));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
