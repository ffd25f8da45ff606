package safeguard.dsm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * One QRadar regex expression: a Java regex and the capture group that holds the value, or a format string
 * ({@code $1} = group 1, other text literal) that QRadar renders instead of the capture group when it is given.
 */
record Extraction(Pattern pattern, int captureGroup, String formatString) {
    private static final Pattern GROUP_REF = Pattern.compile("\\$(\\d)");

    static Extraction of(String regex, int captureGroup, String formatString) {
        Pattern p;
        try {
            p = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            // its own message spans three lines (regex, caret); the CLI and the provisioning report one line
            throw new IllegalArgumentException(e.getDescription() + " at index " + e.getIndex() + " of regex "
                    + regex, e);
        }
        int groups = p.matcher("").groupCount();
        if (captureGroup < 0 || captureGroup > groups) {
            throw new IllegalArgumentException("capture group " + captureGroup + " does not exist in " + regex);
        }
        if (formatString != null) {
            Matcher ref = GROUP_REF.matcher(formatString);
            while (ref.find()) {
                if (Integer.parseInt(ref.group(1)) > groups) {
                    throw new IllegalArgumentException("format string " + formatString + " refers to " + ref.group()
                            + ", which does not exist in " + regex);
                }
            }
        }
        return new Extraction(p, captureGroup, formatString);
    }

    /** The value, or null when the expression does not match or yields nothing (absent, null or "" fields). */
    String apply(CharSequence text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        String value;
        if (formatString != null) {
            value = GROUP_REF.matcher(formatString).replaceAll(ref -> {
                String g = m.group(Integer.parseInt(ref.group(1)));
                return Matcher.quoteReplacement(g == null ? "" : g);
            });
        } else {
            value = m.group(captureGroup);
        }
        return value == null || value.isEmpty() ? null : value;
    }
}
