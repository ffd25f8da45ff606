package safeguard.refsets;

import java.util.regex.Pattern;
import safeguard.BidiControls;

/** What a value must look like for QRadar to take it into a set of a given element type. */
final class ElementRule {
    static final int MAX_LENGTH = 1_024;
    private static final Pattern NUMBER = Pattern.compile("-?\\d{1,18}(\\.\\d{1,9})?");

    private ElementRule() {
    }

    /** Null when the value fits, otherwise why not, in words an analyst can act on. */
    static String problem(String elementType, String value) {
        if (value.isEmpty()) {
            return "is empty";
        }
        if (value.length() > MAX_LENGTH) {
            return "is longer than " + MAX_LENGTH + " characters";
        }
        if (value.chars().anyMatch(Character::isISOControl)) {
            return "contains a control character";
        }
        if (BidiControls.in(value)) {
            return BidiControls.RULE;
        }
        if (value.equals(".") || value.equals("..")) {
            // No file or user is called that, and in QRadar's URL for the value it would mean another path.
            return "is not a value ('.' and '..' are path steps)";
        }
        return switch (elementType) {
            case "NUM" -> NUMBER.matcher(value).matches() ? null : "is not a number (this set holds NUM values, e.g. a UID such as 2001)";
            case "PORT" -> value.matches("\\d{1,5}") && Integer.parseInt(value) <= 65_535 ? null : "is not a port (0-65535)";
            default -> null;
        };
    }
}
