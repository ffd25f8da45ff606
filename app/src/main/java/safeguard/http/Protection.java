package safeguard.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How one protective operation ended: the {@link Verdict}, what the storage system holds (snapshot name and
 * expiry, backup id, job run and status, planned values beside actual ones) and, unless protected, why.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Protection(Verdict verdict, Map<String, String> details, String error) {
    public Protection {
        details = details == null ? Map.of() : java.util.Collections.unmodifiableMap(new LinkedHashMap<>(details));
    }

    public static Protection of(Verdict v, Map<String, String> details, String error) {
        return new Protection(v, new LinkedHashMap<>(details), error);
    }
}
