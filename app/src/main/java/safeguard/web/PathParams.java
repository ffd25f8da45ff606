package safeguard.web;

import io.javalin.http.Context;
import safeguard.BidiControls;
import safeguard.InvalidInputException;

/**
 * A path parameter (a target's, set's or drill's name, a set element, an id), held to the same rule as a JSON body's
 * strings: names are stored, journaled and forwarded to QRadar and storage, so a bidirectional control in one is a
 * 400 naming the parameter.
 */
final class PathParams {
    private PathParams() {
    }

    static String of(Context ctx, String name) {
        String value = ctx.pathParam(name);
        if (BidiControls.in(value)) {
            throw new InvalidInputException(name, name + " " + BidiControls.RULE);
        }
        return value;
    }
}
