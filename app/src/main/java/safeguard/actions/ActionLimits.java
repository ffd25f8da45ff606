package safeguard.actions;

import java.time.Duration;

/**
 * What the engine keeps in memory, bounded by these numbers rather than by history: the newest
 * {@code recentActions} actions (plus any still running), at most {@code idempotencyKeys} keys, none older than
 * {@code idempotencyTtl}; older actions are read from the journal on demand. A checkpoint is written after every
 * {@code checkpointEvery} journal records so start-up replays at most that many.
 */
public record ActionLimits(int recentActions, int idempotencyKeys, Duration idempotencyTtl, int checkpointEvery) {
    public static final ActionLimits DEFAULTS = new ActionLimits(1_000, 20_000, Duration.ofHours(24), 5_000);
}
