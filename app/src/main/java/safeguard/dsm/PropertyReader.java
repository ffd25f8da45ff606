package safeguard.dsm;

import java.text.ParsePosition;
import java.text.SimpleDateFormat;
import java.util.Locale;

/** One custom property made ready to read: its compiled expression and the check its type puts on a value. */
final class PropertyReader {
    private final CustomProperty property;
    private final Extraction regex;
    private final int jsonSlot;
    private final ThreadLocal<SimpleDateFormat> time;

    private PropertyReader(CustomProperty property, Extraction regex, int jsonSlot, SimpleDateFormat time) {
        this.property = property;
        this.regex = regex;
        this.jsonSlot = jsonSlot;
        // SimpleDateFormat keeps parse state in the instance; a clone per thread keeps the parser shareable
        this.time = time == null ? null : ThreadLocal.withInitial(() -> (SimpleDateFormat) time.clone());
    }

    /** Checks and compiles; an IllegalArgumentException names the property and what is wrong with it. */
    static PropertyReader compile(CustomProperty p, JsonFields fields) {
        try {
            Extraction regex = p.isJson() ? null : Extraction.of(p.regex(), p.captureGroup(), p.formatString());
            int slot = p.isJson() ? fields.add(JsonKeyPath.parse(p.jsonExpression())) : -1;
            SimpleDateFormat time = null;
            if (p.type().equals("time")) {
                if (p.datetimeFormat() == null) {
                    throw new IllegalArgumentException("a time property needs a datetimeFormat");
                }
                time = dateFormat(p.datetimeFormat(), p.locale());
            }
            return new PropertyReader(p, regex, slot, time);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("custom property \"" + p.name() + "\": " + e.getMessage(), e);
        }
    }

    /** QRadar's datetime_format is a SimpleDateFormat pattern, read strictly as QRadar reads event times. */
    static SimpleDateFormat dateFormat(String pattern, String locale) {
        boolean quoted = false;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            if (c == '\'') {
                quoted = !quoted;
            } else if (!quoted && (c == '[' || c == ']')) {
                // SimpleDateFormat accepts them as literal text, so the mistake would only show as every time
                // failing to parse in QRadar
                throw new IllegalArgumentException("datetimeFormat " + pattern + " uses [ ], DateTimeFormatter's "
                        + "optional sections, which SimpleDateFormat reads as literal text; quote them ('[') if a "
                        + "literal bracket is meant");
            }
        }
        SimpleDateFormat f;
        try {
            f = new SimpleDateFormat(pattern, locale == null ? Locale.US : Locale.forLanguageTag(locale));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("datetimeFormat " + pattern + " is not a Java SimpleDateFormat "
                    + "pattern (" + e.getMessage() + ")", e);
        }
        f.setLenient(false);
        return f;
    }

    CustomProperty property() {
        return property;
    }

    Extraction regex() {
        return regex;
    }

    /**
     * The value QRadar would store, or null: the expression found nothing or an empty string, or the value is not
     * of the property's type (QRadar leaves a time it cannot parse, or a non-number in a numeric property, unset).
     */
    String read(String payload, String[] jsonValues) {
        String v = regex != null ? regex.apply(payload) : jsonValues[jsonSlot];
        if (v == null || v.isEmpty()) {
            return null;
        }
        if (time != null && time.get().parse(v, new ParsePosition(0)) == null) {
            return null;
        }
        if (property.type().equals("numeric") && !isNumber(v)) {
            return null;
        }
        return v;
    }

    private static boolean isNumber(String v) {
        int i = v.charAt(0) == '-' ? 1 : 0;
        int digits = 0;
        boolean point = false;
        for (; i < v.length(); i++) {
            char c = v.charAt(i);
            if (c >= '0' && c <= '9') {
                digits++;
            } else if (c == '.' && !point) {
                point = true;
            } else {
                return false;
            }
        }
        return digits > 0;
    }
}
