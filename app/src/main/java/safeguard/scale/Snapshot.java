package safeguard.scale;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A snapshot as Scale lists it; {@code fileset} is null for a global snapshot. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Snapshot(String name, String fileset, String created, String expirationTime, String status) {
}
