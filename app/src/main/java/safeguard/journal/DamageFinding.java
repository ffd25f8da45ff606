package safeguard.journal;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One damage finding, kept until acknowledged: when it was found, where and why; then who acknowledged it, when
 * and why (null while open).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record DamageFinding(String detectedAt, String file, Long line, String reason, String acknowledgedAt,
                            String acknowledgedBy, String acknowledgement) {
    public boolean open() {
        return acknowledgedAt == null;
    }

    boolean sameAs(Journal.Damage d) {
        return java.util.Objects.equals(file, d.file()) && java.util.Objects.equals(line, d.line())
                && reason.equals(d.reason());
    }
}
