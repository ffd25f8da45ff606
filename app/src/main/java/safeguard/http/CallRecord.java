package safeguard.http;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One upstream HTTP exchange as the journal keeps it: what was asked (method and path, never a body with
 * credentials), what came back, how long it took, and whether TLS checks were off.
 */
@JsonInclude(JsonInclude.Include.NON_DEFAULT)
public record CallRecord(String operation, String request, int status, long millis, String outcome, boolean insecure) {
}
