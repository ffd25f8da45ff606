package safeguard.dsm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Applies the DSM's definitions to a line the way QRadar does: identifier from the syslog header, then every
 * expression against the payload (a regex over its raw text, a JSON key path over its decoded values), Event ID +
 * category to QID, unknown events to the fallback QID.
 */
public final class DsmParser {
    private static final JsonFactory JSON = new JsonFactory();
    private static final String TRUNCATED = "truncated Storage Scale audit record (the JSON object does not end)";

    private final Dsm dsm;

    public DsmParser(Dsm dsm) {
        this.dsm = dsm;
    }

    public ParseResult parse(String line) {
        int brace = line.indexOf('{');
        if (brace < 0) {
            return new ParseResult.Rejected("not a Storage Scale audit event: no JSON record");
        }
        String payload = line.substring(brace);
        String[] jsonValues = new String[dsm.jsonFields().slots()];
        String problem = scanRecord(payload, jsonValues);
        if (problem != null) {
            return new ParseResult.Rejected(problem);
        }
        String header = line.substring(0, brace);
        String lsi = null;
        if (!header.isBlank()) {
            for (Extraction e : dsm.logSourceIdentifierExtractions()) {
                lsi = e.apply(header);
                if (lsi != null) {
                    break;
                }
            }
        }
        String eventId = dsm.eventId().apply(payload);
        Map<String, String> properties = new LinkedHashMap<>();
        for (PropertyReader r : dsm.propertyReaders()) {
            String value = r.read(payload, jsonValues);
            if (value != null) {
                properties.put(r.property().name(), value);
            }
        }
        return new ParseResult.Parsed(lsi, eventId, dsm.eventCategory().apply(payload), dsm.qidFor(eventId), properties);
    }

    /**
     * Checks that the payload is a complete JSON object carrying the record-version key and, in the same pass,
     * keeps the decoded values the JSON properties want. Null, or the reason the payload is not a record.
     */
    private String scanRecord(String payload, String[] values) {
        boolean hasKey = false;
        // The wanted-path node of each open object (null: nothing below it is wanted; arrays are never entered).
        JsonFields.Node[] open = new JsonFields.Node[8];
        int depth = 0;
        JsonFields.Node pending = null; // the node of the field whose value comes next, if wanted
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a Storage Scale audit event: no JSON object";
            }
            open[depth++] = dsm.jsonFields().root();
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return TRUNCATED;
                }
                switch (t) {
                    case FIELD_NAME -> {
                        String name = p.currentName();
                        JsonFields.Node parent = open[depth - 1];
                        pending = parent == null ? null : parent.child(name);
                        if (depth == 1 && dsm.requiredKey().equals(name)) {
                            hasKey = true;
                        }
                    }
                    case START_OBJECT, START_ARRAY -> {
                        if (pending != null && pending.slot() >= 0) {
                            values[pending.slot()] = null; // a container is no value; with duplicate keys the last wins
                        }
                        if (depth == open.length) {
                            open = Arrays.copyOf(open, depth * 2);
                        }
                        open[depth++] = t == JsonToken.START_OBJECT ? pending : null;
                        pending = null;
                    }
                    case END_OBJECT, END_ARRAY -> {
                        depth--;
                        pending = null;
                    }
                    default -> {
                        if (pending != null && pending.slot() >= 0) {
                            // decoded, JSON escapes resolved; numbers and booleans as written; null is no value
                            values[pending.slot()] = t == JsonToken.VALUE_NULL ? null : p.getText();
                        }
                        pending = null;
                    }
                }
            }
        } catch (JsonEOFException e) {
            return TRUNCATED;
        } catch (JsonProcessingException e) {
            return "not a Storage Scale audit event: malformed JSON (" + e.getOriginalMessage() + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail this way
        }
        return hasKey ? null : "not a Storage Scale audit event: no \"" + dsm.requiredKey() + "\" field";
    }
}
