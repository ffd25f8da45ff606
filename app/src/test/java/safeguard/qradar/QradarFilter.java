package safeguard.qradar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * QRadar's {@code filter} query parameter, the subset of its syntax ("Filter syntax" in IBM's API overview) the
 * app may send: {@code field=value}, {@code field!=value}, the comparisons {@code > >= < <=} on numbers (offense
 * times), strings in double quotes with {@code \"} escapes, clauses joined by {@code and}. A field that is null in the record matches nothing, as on the console (this is
 * why {@code qid_records} can never be found by {@code log_source_type_id}). Anything else is a filter error.
 */
final class QradarFilter {
    private static final Pattern CLAUSE = Pattern.compile(
            "\\s*([a-z_]+)\\s*(!=|>=|<=|=|>|<)\\s*(\"(?:[^\"\\\\]|\\\\.)*\"|[-0-9.]+|true|false)\\s*(?:and\\b|$)");

    private record Clause(String field, String op, String value) {
    }

    private final List<Clause> clauses;

    private QradarFilter(List<Clause> clauses) {
        this.clauses = clauses;
    }

    /** Null when {@code filter} is not valid syntax. */
    static QradarFilter parse(String filter) {
        List<Clause> out = new ArrayList<>();
        if (filter == null || filter.isBlank()) {
            return new QradarFilter(out);
        }
        Matcher m = CLAUSE.matcher(filter);
        int at = 0;
        while (at < filter.length()) {
            if (!m.find(at) || m.start() != at) {
                return null;
            }
            String v = m.group(3);
            if (v.startsWith("\"")) {
                v = v.substring(1, v.length() - 1).replace("\\\"", "\"").replace("\\\\", "\\");
            }
            out.add(new Clause(m.group(1), m.group(2), v));
            at = m.end();
        }
        return new QradarFilter(out);
    }

    /** The fields the clauses name (a page checks them against the fields it marks Filterable). */
    List<String> fields() {
        return clauses.stream().map(Clause::field).toList();
    }

    boolean matches(JsonNode row) {
        for (Clause c : clauses) {
            JsonNode v = row.get(c.field());
            if (v == null || v.isNull()) {
                return false;
            }
            if (!c.op().equals("=") && !c.op().equals("!=")) {
                if (!v.isNumber() || !c.value().matches("-?\\d+")) {
                    return false;
                }
                int cmp = Long.compare(v.asLong(), Long.parseLong(c.value()));
                boolean ok = switch (c.op()) {
                    case ">" -> cmp > 0;
                    case ">=" -> cmp >= 0;
                    case "<" -> cmp < 0;
                    default -> cmp <= 0;
                };
                if (!ok) {
                    return false;
                }
                continue;
            }
            String text = v.isNumber() && v.canConvertToLong() && c.value().matches("-?\\d+")
                    ? Long.toString(v.asLong()) : v.asText();
            if (text.equals(c.value()) != c.op().equals("=")) {
                return false;
            }
        }
        return true;
    }
}
