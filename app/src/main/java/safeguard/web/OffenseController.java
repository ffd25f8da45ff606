package safeguard.web;

import io.javalin.http.Context;
import safeguard.offenses.Offenses;

/** The offense path: QRadar's rules to pick from, where polling stands, and "poll now". */
public final class OffenseController {
    private final Offenses offenses;

    public OffenseController(Offenses offenses) {
        this.offenses = offenses;
    }

    public void rules(Context ctx) {
        ctx.json(offenses.rules());
    }

    public void status(Context ctx) {
        ctx.json(offenses.standing());
    }

    public void poll(Context ctx) {
        ctx.json(offenses.pollNow());
    }
}
