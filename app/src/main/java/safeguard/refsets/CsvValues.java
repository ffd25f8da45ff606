package safeguard.refsets;

import java.util.ArrayList;
import java.util.List;
import safeguard.InvalidInputException;

/**
 * The first column of a CSV file, as spreadsheets export it: quoted fields with doubled quotes, CRLF or LF, a
 * byte-order mark, comma or tab separators, blank lines, and an optional header row ("value" or the set's name).
 */
final class CsvValues {
    /** One value a line, with the line it came from so errors can point at it. */
    record Line(int number, String value) {
    }

    private CsvValues() {
    }

    static List<Line> parse(String text, String setName) {
        String s = text.startsWith("\uFEFF") ? text.substring(1) : text;
        List<Line> out = new ArrayList<>();
        int line = 1;
        int i = 0;
        boolean seenRow = false;
        while (i < s.length()) {
            int start = line;
            StringBuilder cell = new StringBuilder();
            boolean quoted = false;
            boolean firstCellDone = false;
            while (i < s.length()) {
                char c = s.charAt(i);
                if (quoted) {
                    if (c == '"' && i + 1 < s.length() && s.charAt(i + 1) == '"') {
                        cell.append('"');
                        i += 2;
                        continue;
                    }
                    if (c == '"') {
                        quoted = false;
                    } else {
                        if (c == '\n') {
                            line++;
                        }
                        if (!firstCellDone) {
                            cell.append(c);
                        }
                    }
                    i++;
                    continue;
                }
                if (c == '\n' || c == '\r') {
                    break;
                }
                if (c == '"' && !firstCellDone && cell.toString().isBlank()) {
                    quoted = true;
                    cell.setLength(0);
                } else if (c == ',' || c == '\t') {
                    firstCellDone = true;
                } else if (!firstCellDone) {
                    cell.append(c);
                }
                i++;
            }
            if (quoted) {
                throw new InvalidInputException("csv", "line " + start + ": a quoted value is not closed");
            }
            if (i < s.length() && s.charAt(i) == '\r') {
                i++;
            }
            if (i < s.length() && s.charAt(i) == '\n') {
                i++;
            }
            String value = cell.toString().strip();
            boolean header = !seenRow && (value.equalsIgnoreCase("value") || value.equalsIgnoreCase("values")
                    || value.equalsIgnoreCase(setName));
            if (!value.isEmpty() && !header) {
                out.add(new Line(start, value));
            }
            seenRow |= !value.isEmpty();
            line++;
        }
        return out;
    }

}
