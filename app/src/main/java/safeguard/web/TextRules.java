package safeguard.web;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import safeguard.BidiControls;

/** Characters no value of the API may hold: the bidirectional controls that make a name read otherwise than it is. */
final class TextRules {
    private TextRules() {
    }

    static boolean hasBidi(String s) {
        return BidiControls.in(s);
    }

    /** The path of the first string (or field name) holding one ("context.filename", "values[3]"), or null. */
    static String bidiField(JsonNode n, String path) {
        if (n.isTextual()) {
            return hasBidi(n.textValue()) ? path : null;
        }
        if (n.isArray()) {
            for (int i = 0; i < n.size(); i++) {
                String f = bidiField(n.get(i), path + "[" + i + "]");
                if (f != null) {
                    return f;
                }
            }
        } else if (n.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = path.isEmpty() ? e.getKey() : path + "." + e.getKey();
                if (hasBidi(e.getKey())) {
                    return p;
                }
                String f = bidiField(e.getValue(), p);
                if (f != null) {
                    return f;
                }
            }
        }
        return null;
    }
}
