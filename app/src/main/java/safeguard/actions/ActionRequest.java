package safeguard.actions;

/**
 * POST /api/actions. {@code fileset}, {@code session} and {@code job} override the target's default, and only
 * with a value the target lists as allowed.
 */
public record ActionRequest(
        String type,
        String target,
        ActionContext context,
        String idempotencyKey,
        String fileset,
        String session,
        String job) {
}
