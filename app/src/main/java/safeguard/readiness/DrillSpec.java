package safeguard.readiness;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A target's drill, opted into by an admin: a real protective action on something small named for drills (a Scale
 * fileset, a CSM session, a CDM job), every {@code everyHours}, its Scale snapshot immutable for only
 * {@code expiryMinutes}. Unset fields take the defaults.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DrillSpec(String fileset, String session, String job, Integer everyHours, Integer expiryMinutes) {
    static final int DEFAULT_EVERY_HOURS = 24;
    static final int DEFAULT_EXPIRY_MINUTES = 60;

    int every() {
        return everyHours == null ? DEFAULT_EVERY_HOURS : everyHours;
    }

    int expiry() {
        return expiryMinutes == null ? DEFAULT_EXPIRY_MINUTES : expiryMinutes;
    }
}
