package safeguard.dsm;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A QRadar JSON expression of the key-path form, {@code /"path"} or {@code /"a"/"b"}: the keys from the record's
 * top level down. QRadar's text-substitution form (several keys joined with literal text) is not supported; no
 * property of this DSM needs it, and refusing it keeps the local parser honest about what it can mirror.
 */
record JsonKeyPath(String expression, List<String> keys) {
    private static final Pattern WHOLE = Pattern.compile("(?:/\"[^\"]*+\")++");
    private static final Pattern SEGMENT = Pattern.compile("/\"([^\"]*+)\"");

    JsonKeyPath {
        keys = List.copyOf(keys);
    }

    static JsonKeyPath parse(String expression) {
        if (!WHOLE.matcher(expression).matches()) {
            throw new IllegalArgumentException("JSON expression " + expression
                    + " is not a key path such as /\"path\" or /\"a\"/\"b\"");
        }
        List<String> keys = new ArrayList<>();
        Matcher m = SEGMENT.matcher(expression);
        while (m.find()) {
            keys.add(m.group(1));
        }
        return new JsonKeyPath(expression, keys);
    }
}
