package safeguard.csm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import safeguard.http.Upstream;

/** Reading Copy Services Manager's answers: message severity and text (storage-apis.md §2.3), times, backups. */
final class CsmReplies {
    private CsmReplies() {
    }

    /** Every backup in a session's JSON (§2.2 backupInfo[].BackupResults[]); field casing varies, so leniently. */
    static void collect(JsonNode node, List<CsmClient.Backup> out) {
        if (node.isObject()) {
            String id = null;
            Long time = null;
            Boolean valid = null;
            for (var e : (Iterable<Map.Entry<String, JsonNode>>) node::fields) {
                String k = e.getKey();
                if (k.equalsIgnoreCase("backupID") && e.getValue().isValueNode()) {
                    id = e.getValue().asText();
                } else if (k.equalsIgnoreCase("valid") && e.getValue().isValueNode()) {
                    valid = e.getValue().isBoolean() ? e.getValue().asBoolean() : Boolean.valueOf(e.getValue().asText());
                } else if (k.equalsIgnoreCase("timestamp") || (time == null && k.equalsIgnoreCase("backupTime"))) {
                    Long t = time(e.getValue());
                    time = t != null ? t : time;
                } else {
                    collect(e.getValue(), out);
                }
            }
            if (id != null) {
                // Backup ids look like epoch seconds (§2.5): the time when the entry shows no other.
                out.add(new CsmClient.Backup(id, time != null ? time : time(new com.fasterxml.jackson.databind.node.TextNode(id)), valid));
            }
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, out));
        }
    }

    /** A CSM time: epoch milliseconds (or seconds), as number or digits; null when it is neither. */
    static Long time(JsonNode v) {
        String s = v == null || v.isNull() || v.isMissingNode() ? "" : v.asText("").trim();
        if (!s.matches("\\d{9,13}")) {
            return null;
        }
        long n = Long.parseLong(s);
        return n < 100_000_000_000L ? n * 1000 : n;
    }

    /** null when the reply's message id ends in I or W; else what went wrong. Records the message either way. */
    static String judge(Upstream.Reply r, Map<String, String> details) {
        String msg = r.json().path("msg").asText("");
        if (!msg.isEmpty()) {
            details.put("message", msg);
        }
        String textOf = r.json().path("msgTranslated").asText(r.json().path("resultText").asText(""));
        if (!r.ok()) {
            return "HTTP " + r.status() + (textOf.isEmpty() ? "" : ": " + textOf);
        }
        char severity = msg.isEmpty() ? '?' : Character.toUpperCase(msg.charAt(msg.length() - 1));
        if (severity == 'I' || severity == 'W') {
            if (severity == 'W') {
                details.put("warning", textOf);
            }
            return null;
        }
        return "CSM answered " + (msg.isEmpty() ? "without a message id" : msg) + (textOf.isEmpty() ? "" : ": " + textOf);
    }

    static String text(JsonNode reply) {
        return reply.path("msgTranslated").asText(reply.path("resultText").asText(""));
    }

    static String colon(String s) {
        return s == null || s.isEmpty() ? "" : ": " + s;
    }
}
