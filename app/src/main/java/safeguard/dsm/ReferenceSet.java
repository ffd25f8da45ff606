package safeguard.dsm;

import java.util.List;

/** A QRadar reference set definition and the elements it starts with (reference-sets/*.json). */
public record ReferenceSet(
        String name,
        String description,
        String elementType,
        String timeoutType,
        String timeToLive,
        List<String> elements) {

    public ReferenceSet {
        elements = List.copyOf(elements);
    }
}
