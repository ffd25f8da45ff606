package safeguard.offenses;

/** Offenses that QRadar rule {@code ruleId} contributes to protect {@code target}. */
public record OffenseTrigger(Long ruleId, String target) {
}
