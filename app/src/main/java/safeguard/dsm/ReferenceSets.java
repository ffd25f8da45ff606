package safeguard.dsm;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import safeguard.Json;

/** reference-sets/reference-sets.json, as bundled in the jar. */
public final class ReferenceSets {
    public static final String BUNDLED = "/content/reference-sets/reference-sets.json";

    private ReferenceSets() {
    }

    public static List<ReferenceSet> bundled() {
        try (InputStream in = ReferenceSets.class.getResourceAsStream(BUNDLED)) {
            if (in == null) {
                throw new IllegalStateException("reference sets missing from the jar: " + BUNDLED);
            }
            List<ReferenceSet> out = new ArrayList<>();
            for (JsonNode s : Json.mapper().readTree(in).path("sets")) {
                out.add(Json.mapper().treeToValue(s, ReferenceSet.class));
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
