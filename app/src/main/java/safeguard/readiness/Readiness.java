package safeguard.readiness;

import java.util.List;

/**
 * GET /api/readiness: {@code at-risk} when any check failed (a protective action would not work, or no rule could
 * fire), else {@code ready}; warnings do not change the state. {@code checkedAt}: when the last check ended.
 */
public record Readiness(String state, String checkedAt, List<Check> checks) {
    public static final String READY = "ready";
    public static final String AT_RISK = "at-risk";

    public Readiness {
        checks = List.copyOf(checks);
    }

    static Readiness of(List<Check> checks, String checkedAt) {
        return new Readiness(checks.stream().anyMatch(Check::isFailed) ? AT_RISK : READY, checkedAt, checks);
    }

    public List<Check> failed() {
        return checks.stream().filter(Check::isFailed).toList();
    }

    /** What GET /api/health carries: the state, when, and how many checks failed or warn. */
    public Summary summary() {
        return new Summary(state, checkedAt, (int) checks.stream().filter(Check::isFailed).count(),
                (int) checks.stream().filter(c -> Check.WARNING.equals(c.state())).count());
    }

    public record Summary(String state, String checkedAt, int failed, int warnings) {
        /** Before the first run ends. */
        public static final Summary PENDING = new Summary("pending", null, 0, 0);
    }
}
