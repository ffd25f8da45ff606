package safeguard.offenses;

import java.util.Map;
import safeguard.actions.ActionSummary;

/**
 * What an offense's note says about the action that answered it: protected (the copy and its expiry), not
 * protected (why), or unknown (check the storage system). The action id in brackets is the note's mark: before a
 * note is sent again, the offense's notes are searched for it.
 */
final class NoteText {
    private NoteText() {
    }

    static String mark(String actionId) {
        return "[safeguard " + actionId + "]";
    }

    static String of(ActionSummary a) {
        Map<String, String> r = a.result() == null ? Map.of() : a.result();
        String what = a.type() + " on " + a.target();
        String text = switch (a.status()) {
            case "protected", "protected-not-as-planned" -> "Safeguard Responder: PROTECTED by " + what + copy(r)
                    + (a.status().equals("protected") ? "" : " (not as planned: " + a.error() + ")");
            case "unknown" -> "Safeguard Responder: OUTCOME UNKNOWN for " + what + " — check the storage system"
                    + (a.error() == null ? "" : ": " + a.error());
            case "dry-run" -> "Safeguard Responder: NOT PROTECTED — " + what + " is a dry run (the storage system "
                    + "was not called)";
            default -> "Safeguard Responder: NOT PROTECTED — " + what + " ended " + a.status()
                    + (a.error() == null ? "" : ": " + a.error());
        };
        return text + " " + mark(a.id());
    }

    private static String copy(Map<String, String> r) {
        StringBuilder b = new StringBuilder();
        String name = r.getOrDefault("snapshot", r.getOrDefault("backup", r.getOrDefault("backupId", r.get("job"))));
        if (name != null) {
            b.append(": copy ").append(name);
        }
        String expires = r.getOrDefault("expiresAt", r.get("expiration"));
        if (expires != null) {
            b.append(", expires ").append(expires);
        }
        return b.toString();
    }
}
