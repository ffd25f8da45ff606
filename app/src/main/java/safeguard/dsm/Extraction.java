package safeguard.dsm;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One QRadar expression: a Java regex and the capture group that holds the value, optionally rendered through a
 * format string ({@code $1} = group 1, other text literal) as the DSM Editor does for system-property overrides.
 */
record Extraction(Pattern pattern, int captureGroup, String formatString) {
    private static final Pattern GROUP_REF = Pattern.compile("\\$(\\d)");

    static Extraction of(String regex, int captureGroup, String formatString) {
        Pattern p = Pattern.compile(regex);
        int groups = p.matcher("").groupCount();
        if (captureGroup < 0 || captureGroup > groups) {
            throw new IllegalArgumentException("capture group " + captureGroup + " does not exist in " + regex);
        }
        return new Extraction(p, captureGroup, formatString);
    }

    /** The value, or null when the expression does not match or captures nothing (absent, null or "" fields). */
    String apply(CharSequence text) {
        Matcher m = pattern.matcher(text);
        if (!m.find()) {
            return null;
        }
        if (formatString != null) {
            return GROUP_REF.matcher(formatString).replaceAll(ref -> {
                String g = m.group(Integer.parseInt(ref.group(1)));
                return Matcher.quoteReplacement(g == null ? "" : g);
            });
        }
        String value = m.group(captureGroup);
        return value == null || value.isEmpty() ? null : value;
    }
}
