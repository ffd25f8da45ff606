package safeguard;

/**
 * The bidirectional controls that make a name read otherwise than it is ({@code x\u202egpj.exe} shows as
 * "xexe.jpg"): no value the API stores or forwards may hold one, whether it comes in a JSON body, a CSV file or a path.
 */
public final class BidiControls {
    /** The rule as a caller reads it after the field's name. */
    public static final String RULE = "must not hold bidirectional control characters"
            + " (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C)";

    private BidiControls() {
    }

    public static boolean in(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if ((c >= '\u202A' && c <= '\u202E') || (c >= '\u2066' && c <= '\u2069') || c == '\u200E' || c == '\u200F'
                    || c == '\u061C') {
                return true;
            }
        }
        return false;
    }
}
