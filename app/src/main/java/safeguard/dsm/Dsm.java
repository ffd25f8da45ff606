package safeguard.dsm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.InvalidInputException;
import safeguard.Json;

/**
 * The DSM as data (dsm/*.json): log source type, Event ID and category expressions, QID map and custom
 * properties. Loaded once; the same definitions drive the local parser and the QRadar provisioning.
 */
public final class Dsm {
    public static final String BUNDLED = "/content/dsm/ibm-storage-scale-file-audit.json";

    private final String logSourceTypeName;
    private final String logSourceTypeDescription;
    private final String protocol;
    private final List<Extraction> logSourceIdentifiers;
    private final String requiredKey;
    private final String eventIdRegex;
    private final Extraction eventId;
    private final String eventCategoryRegex;
    private final Extraction eventCategory;
    private final Map<String, QidRecord> qids;
    private final QidRecord fallback;
    private final List<CustomProperty> properties;
    private final List<PropertyReader> readers;
    private final JsonFields jsonFields;

    private Dsm(JsonNode root) {
        JsonNode lst = required(root, "logSourceType");
        logSourceTypeName = required(lst, "name").asText();
        logSourceTypeDescription = lst.path("description").asText("");
        protocol = lst.path("protocol").asText("Syslog");
        logSourceIdentifiers = new ArrayList<>();
        for (JsonNode p : lst.path("logSourceIdentifier").path("patterns")) {
            logSourceIdentifiers.add(Extraction.of(required(p, "regex").asText(), p.path("captureGroup").asInt(1), null));
        }
        requiredKey = root.path("recognition").path("requiredKey").asText("LWE_JSON");
        JsonNode id = required(root, "eventId");
        eventIdRegex = required(id, "regex").asText();
        eventId = Extraction.of(eventIdRegex, id.path("captureGroup").asInt(1), null);
        JsonNode cat = required(root, "eventCategory");
        eventCategoryRegex = required(cat, "regex").asText();
        eventCategory = Extraction.of(eventCategoryRegex, cat.path("captureGroup").asInt(1),
                cat.hasNonNull("formatString") ? cat.get("formatString").asText() : null);
        qids = new LinkedHashMap<>();
        for (JsonNode q : required(root, "qidRecords")) {
            QidRecord r = qid(q);
            if (qids.put(r.eventId(), r) != null) {
                throw new IllegalArgumentException("QID record for event " + r.eventId() + " is defined twice");
            }
        }
        fallback = qid(required(root, "fallbackQid"));
        properties = new ArrayList<>();
        readers = new ArrayList<>();
        jsonFields = new JsonFields();
        for (JsonNode p : required(root, "customProperties")) {
            CustomProperty cp = property(p);
            properties.add(cp);
            readers.add(PropertyReader.compile(cp, jsonFields));
        }
    }

    private static CustomProperty property(JsonNode p) {
        String name = required(p, "name").asText();
        String json = text(p, "json");
        if (json != null && (p.has("captureGroup") || p.has("formatString"))) {
            // silently ignored, they would look provisioned though QRadar never sees them
            throw new IllegalArgumentException("custom property \"" + name + "\": captureGroup and formatString "
                    + "belong to a regex, not to a JSON expression");
        }
        return new CustomProperty(name, p.path("description").asText(""), p.path("type").asText("string"),
                p.path("forRules").asBoolean(false), json, text(p, "regex"),
                json == null ? p.path("captureGroup").asInt(1) : 0, text(p, "formatString"),
                text(p, "datetimeFormat"), text(p, "locale"));
    }

    private static String text(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    public static Dsm bundled() {
        try (InputStream in = Dsm.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("the DSM definition is missing from the jar: " + BUNDLED);
            }
            return load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static Dsm load(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            return load(in);
        } catch (IOException e) {
            throw new InvalidInputException("dsm", "cannot read " + file + ": " + e.getMessage());
        }
    }

    static Dsm load(InputStream in) throws IOException {
        try {
            return new Dsm(Json.mapper().readTree(in));
        } catch (IllegalArgumentException e) {
            // A DSM change with a broken expression is reported in one line, not thrown as a trace.
            throw new InvalidInputException("dsm", "invalid DSM definition: " + e.getMessage());
        }
    }

    private static QidRecord qid(JsonNode q) {
        return new QidRecord(required(q, "eventId").asText(), required(q, "name").asText(),
                q.path("description").asText(""), q.path("severity").asInt(3),
                required(q, "lowLevelCategoryId").asInt(), q.path("lowLevelCategory").asText(""));
    }

    private static JsonNode required(JsonNode node, String field) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException("missing \"" + field + "\"");
        }
        return v;
    }

    public String logSourceTypeName() {
        return logSourceTypeName;
    }

    public String logSourceTypeDescription() {
        return logSourceTypeDescription;
    }

    public String protocol() {
        return protocol;
    }

    public String eventIdRegex() {
        return eventIdRegex;
    }

    public String eventCategoryRegex() {
        return eventCategoryRegex;
    }

    /** The one category every record maps to: QID mappings are keyed by (event ID, this). */
    public String eventCategoryValue() {
        return eventCategory.formatString();
    }

    public List<QidRecord> qidRecords() {
        return List.copyOf(qids.values());
    }

    public QidRecord fallbackQid() {
        return fallback;
    }

    public List<CustomProperty> customProperties() {
        return List.copyOf(properties);
    }

    List<Extraction> logSourceIdentifierExtractions() {
        return logSourceIdentifiers;
    }

    String requiredKey() {
        return requiredKey;
    }

    Extraction eventId() {
        return eventId;
    }

    Extraction eventCategory() {
        return eventCategory;
    }

    QidRecord qidFor(String event) {
        QidRecord r = event == null ? null : qids.get(event);
        return r == null ? fallback : r;
    }

    List<PropertyReader> propertyReaders() {
        return readers;
    }

    JsonFields jsonFields() {
        return jsonFields;
    }
}
