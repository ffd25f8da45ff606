package safeguard.readiness;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One readiness check: what was checked ({@code check}), on what ({@code subject}: a target, a host, a rule),
 * {@code ok}, {@code warning} or {@code failed}, and why in words a person can act on. {@code repaired} is set when
 * the app put back something of its own that was missing or altered, so a repair is never silent.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Check(String check, String subject, String state, String why, Boolean repaired) {
    public static final String OK = "ok";
    public static final String WARNING = "warning";
    public static final String FAILED = "failed";

    static Check ok(String check, String subject, String why) {
        return new Check(check, subject, OK, why, null);
    }

    static Check warning(String check, String subject, String why) {
        return new Check(check, subject, WARNING, why, null);
    }

    static Check failed(String check, String subject, String why) {
        return new Check(check, subject, FAILED, why, null);
    }

    static Check repaired(String check, String subject, String why) {
        return new Check(check, subject, OK, why, true);
    }

    boolean isFailed() {
        return FAILED.equals(state);
    }
}
