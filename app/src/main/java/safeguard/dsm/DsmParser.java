package safeguard.dsm;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.io.JsonEOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies the DSM's definitions to a line the way QRadar does: identifier from the syslog header, then every
 * expression against the payload, Event ID + category to QID, unknown events to the fallback QID.
 */
public final class DsmParser {
    private static final JsonFactory JSON = new JsonFactory();

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
        String problem = checkRecord(payload);
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
        List<CustomProperty> defs = dsm.customProperties();
        List<Extraction> extractions = dsm.propertyExtractions();
        for (int i = 0; i < extractions.size(); i++) {
            String value = extractions.get(i).apply(payload);
            if (value != null) {
                properties.put(defs.get(i).name(), value);
            }
        }
        return new ParseResult.Parsed(lsi, eventId, dsm.eventCategory().apply(payload), dsm.qidFor(eventId), properties);
    }

    /** A complete JSON object carrying the record-version key, or the reason it is not one. */
    private String checkRecord(String payload) {
        boolean hasKey = false;
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return "not a Storage Scale audit event: no JSON object";
            }
            int depth = 1;
            while (depth > 0) {
                JsonToken t = p.nextToken();
                if (t == null) {
                    return "truncated Storage Scale audit record (the JSON object does not end)";
                }
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME && depth == 1 && dsm.requiredKey().equals(p.currentName())) {
                    hasKey = true;
                }
            }
        } catch (JsonEOFException e) {
            return "truncated Storage Scale audit record (the JSON object does not end)";
        } catch (JsonProcessingException e) {
            return "not a Storage Scale audit event: malformed JSON (" + e.getOriginalMessage() + ")";
        } catch (IOException e) {
            throw new UncheckedIOException(e); // reading a String cannot fail this way
        }
        return hasKey ? null : "not a Storage Scale audit event: no \"" + dsm.requiredKey() + "\" field";
    }
}
