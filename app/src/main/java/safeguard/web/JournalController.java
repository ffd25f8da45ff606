package safeguard.web;

import io.javalin.http.Context;
import safeguard.journal.Journal;

/** The journal's admin route: acknowledging damage findings (verification itself is GET /api/journal/verify). */
public final class JournalController {
    private final Journal journal;

    public JournalController(Journal journal) {
        this.journal = journal;
    }

    /** The acknowledging admin's reason is journaled with their name. */
    public record Acknowledgement(String reason) {
    }

    public void acknowledge(Context ctx) {
        Acknowledgement a = Bodies.read(ctx, Acknowledgement.class, "a JSON object with reason");
        ctx.json(journal.acknowledge(AccessFilter.caller(ctx).user(), a.reason()));
    }
}
