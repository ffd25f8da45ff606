package safeguard.dsm;

/**
 * A QRadar custom event property and its one expression for this log source type: a JSON key path
 * ({@code property_json_expressions}, for a whole value, which QRadar decodes as a JSON parser does) or a regex over
 * the raw payload ({@code property_expressions}, for part of a value, left as the record spells it).
 */
public record CustomProperty(String name, String description, String type, boolean forRules,
        String jsonExpression,
        String regex, int captureGroup, String formatString,
        String datetimeFormat, String locale) {

    public CustomProperty {
        // With both, which one QRadar uses would be a guess, and the local parser could not promise to agree with it.
        if ((jsonExpression == null) == (regex == null)) {
            throw new IllegalArgumentException("custom property \"" + name + "\" must have exactly one of a JSON "
                    + "expression (\"json\") and a regex (\"regex\"), it has "
                    + (regex == null ? "neither" : "both"));
        }
    }

    public boolean isJson() {
        return jsonExpression != null;
    }
}
