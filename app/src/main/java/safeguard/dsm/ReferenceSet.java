package safeguard.dsm;

import java.util.List;

/**
 * A QRadar reference set definition and the elements it starts with (reference-sets/*.json). {@code spelling}
 * "audit-record": the set is compared with a property cut from the raw record (see {@link RecordSpelling}), so each
 * element is stored in every spelling a record may carry; null: as typed.
 */
public record ReferenceSet(
        String name,
        String description,
        String elementType,
        String timeoutType,
        String timeToLive,
        List<String> elements,
        String spelling) {

    public ReferenceSet {
        elements = List.copyOf(elements);
    }

    public boolean spelledAsRecords() {
        return "audit-record".equals(spelling);
    }

    /** What goes into QRadar for {@code values}: each in every spelling the set needs. */
    public List<String> stored(List<String> values) {
        if (!spelledAsRecords()) {
            return values;
        }
        java.util.LinkedHashSet<String> out = new java.util.LinkedHashSet<>();
        values.forEach(v -> out.addAll(RecordSpelling.of(v)));
        return List.copyOf(out);
    }

    /** The name an element stands for, as the analyst typed it. */
    public String shown(String stored) {
        return spelledAsRecords() ? RecordSpelling.name(stored) : stored;
    }
}
