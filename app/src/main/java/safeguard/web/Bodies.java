package safeguard.web;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.http.Context;
import java.io.IOException;
import java.util.Set;
import safeguard.BidiControls;
import safeguard.InvalidInputException;
import safeguard.Json;

/**
 * A request's JSON body as a DTO, one style for every route: absent, {@code null} or not an object, anything after
 * the JSON value ({@code {…} xyz}, two objects), or a string holding a bidirectional control character (which makes
 * {@code x\u202egpj.exe} show as "xexe.jpg") is a 400 naming the field, never a 500 and never half taken.
 */
public final class Bodies {
    private static final Set<String> WITH_BODY = Set.of("POST", "PUT", "PATCH", "DELETE");

    private Bodies() {
    }

    /**
     * Reads a request's whole body before its route runs (kept for the route, which reads the same bytes): a route
     * that answered without reading it left Jetty to close the connection under a client still sending, and that
     * client then saw no answer at all. Javalin's request size limit bounds it (413 above).
     */
    public static void readFirst(Context ctx) {
        if (WITH_BODY.contains(ctx.req().getMethod()) && ctx.contentLength() != 0) {
            ctx.bodyAsBytes();
        }
    }

    /** {@code what} says what the body must hold, for the message. Fields the DTO does not have are ignored. */
    static <T> T read(Context ctx, Class<T> type, String what) {
        return read(ctx, type, what, false);
    }

    /** As {@link #read}, and a field the DTO does not have is a 400 naming it (a typo is not silently dropped). */
    static <T> T readStrict(Context ctx, Class<T> type, String what) {
        return read(ctx, type, what, true);
    }

    private static <T> T read(Context ctx, Class<T> type, String what, boolean strict) {
        if (ctx.body().isBlank()) {
            throw new InvalidInputException("body", what + " is required");
        }
        T value;
        try {
            JsonNode tree = Json.mapper().reader().with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                    .readTree(ctx.bodyAsBytes());
            String bidi = TextRules.bidiField(tree, "");
            if (bidi != null) {
                String field = bidi.isEmpty() ? "body" : bidi;
                throw new InvalidInputException(field, field + " " + BidiControls.RULE);
            }
            var reader = Json.mapper().readerFor(type).with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
            value = (strict ? reader.with(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES) : reader)
                    .readValue(ctx.bodyAsBytes());
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
