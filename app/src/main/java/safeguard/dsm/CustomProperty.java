package safeguard.dsm;

/** A QRadar custom event property with its one regex expression for this log source type. */
public record CustomProperty(
        String name,
        String description,
        String type,
        boolean forRules,
        String regex,
        int captureGroup,
        String datetimeFormat,
        String locale) {

    Extraction extraction() {
        return Extraction.of(regex, captureGroup, null);
    }
}
