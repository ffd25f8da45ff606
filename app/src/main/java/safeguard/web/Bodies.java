package safeguard.web;

import io.javalin.http.Context;
import java.io.IOException;
import safeguard.InvalidInputException;
import safeguard.Json;

/** A request's JSON body as a DTO: absent, {@code null} or not an object is a 400 naming the body, never a 500. */
final class Bodies {
    private Bodies() {
    }

    /** {@code what} says what the body must hold, for the message. */
    static <T> T read(Context ctx, Class<T> type, String what) {
        if (ctx.body().isBlank()) {
            throw new InvalidInputException("body", what + " is required");
        }
        T value;
        try {
            value = Json.mapper().readValue(ctx.bodyAsBytes(), type);
        } catch (IOException e) {
            JsonErrors.Problem p = JsonErrors.of(e);
            throw new InvalidInputException(p.field(), p.message());
        }
        if (value == null) {
            throw new InvalidInputException("body", what + " is required, not null");
        }
        return value;
    }
}
