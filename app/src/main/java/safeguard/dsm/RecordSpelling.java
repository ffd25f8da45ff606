package safeguard.dsm;

import com.fasterxml.jackson.core.JsonProcessingException;
import java.util.ArrayList;
import java.util.List;
import safeguard.Json;

/**
 * How a name is spelled inside a Scale audit record's JSON string. A property cut from the raw record by a regex
 * (Filename: QRadar's JSON expressions cannot take the last path component) carries that spelling, escapes and
 * all, so a reference set compared with it must hold the name as the record spells it: {@code \"} for a quote,
 * {@code \\} for a backslash, and non-ASCII letters either as they are (UTF-8) or as {@code \}{@code uXXXX} —
 * whichever the writer chose. A set marked {@code "spelling": "audit-record"} holds every spelling of each name.
 */
public final class RecordSpelling {
    private RecordSpelling() {
    }

    /** The spellings a record may carry for {@code name}, the plain one first. */
    public static List<String> of(String name) {
        List<String> forms = new ArrayList<>();
        forms.add(escape(name, false));
        String ascii = escape(name, true);
        if (!ascii.equals(forms.get(0))) {
            forms.add(ascii);
        }
        return forms;
    }

    /** The name a stored spelling stands for (a value that is no JSON string content is its own name). */
    public static String name(String spelled) {
        if (spelled.indexOf('\\') < 0) {
            return spelled;
        }
        try {
            return Json.mapper().readValue("\"" + spelled + "\"", String.class);
        } catch (JsonProcessingException e) {
            return spelled;
        }
    }

    private static String escape(String s, boolean asciiOnly) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                default -> {
                    if (c < 0x20 || (asciiOnly && c > 0x7e)) {
                        b.append(String.format("\\u%04x", (int) c));
                    } else {
                        b.append(c);
                    }
                }
            }
        }
        return b.toString();
    }
}
