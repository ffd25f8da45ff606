package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;
import safeguard.http.CallRecord;

/**
 * POST /api/targets/{name}/test: what was checked and what was found, the server certificate's fingerprint (to
 * pin it with one click, even when verification refused it) and the round-trip time.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ConnectionTest(
        String target,
        String kind,
        boolean ok,
        String summary,
        Map<String, String> found,
        String error,
        String tlsMode,
        boolean insecure,
        String serverCertificateSha256,
        long roundTripMs,
        List<CallRecord> calls) {
}
