package safeguard.web;

import io.javalin.http.Context;
import java.util.List;
import java.util.regex.Pattern;
import safeguard.InvalidInputException;
import safeguard.refsets.ReferenceSetService;
import safeguard.refsets.SetContents;

public final class ReferenceSetController {
    private static final Pattern RANGE = Pattern.compile("items=(\\d+)-(\\d+)");
    private final ReferenceSetService sets;

    public ReferenceSetController(ReferenceSetService sets) {
        this.sets = sets;
    }

    public void list(Context ctx) {
        ctx.json(sets.list());
    }

    /**
     * One page: {@code ?limit=&cursor=} (cursor: a previous page's {@code next}), or {@code Range: items=x-y} as
     * QRadar takes it (answered with {@code Content-Range}); at most {@link ReferenceSetService#MAX_LIMIT} elements.
     */
    public void get(Context ctx) {
        String range = ctx.header("Range");
        long offset;
        int limit;
        if (range != null) {
            var m = RANGE.matcher(range.strip());
            if (!m.matches() || m.group(1).length() > 12 || m.group(2).length() > 12
                    || Long.parseLong(m.group(1)) > Long.parseLong(m.group(2))) {
                throw new InvalidInputException("Range", "Range must be items=x-y with x <= y (from zero)");
            }
            offset = Long.parseLong(m.group(1));
            limit = (int) Math.min(ReferenceSetService.MAX_LIMIT, Long.parseLong(m.group(2)) - offset + 1);
        } else {
            offset = number(ctx.queryParam("cursor"), "cursor", 0);
            limit = (int) number(ctx.queryParam("limit"), "limit", ReferenceSetService.DEFAULT_LIMIT);
        }
        SetContents page = sets.page(PathParams.of(ctx, "name"), offset, limit);
        if (range != null) {
            ctx.header("Content-Range", page.read() == 0 ? "items */" + page.count()
                    : "items " + offset + "-" + (offset + page.read() - 1) + "/" + page.count());
        }
        ctx.json(page);
    }

    private static long number(String text, String field, long otherwise) {
        if (text == null) {
            return otherwise;
        }
        if (!text.matches("\\d{1,12}")) {
            throw new InvalidInputException(field, field + " must be a whole number");
        }
        return Long.parseLong(text);
    }

    /** JSON {@code {"values": [...]}} typed in the page. */
    public void add(Context ctx) {
        ctx.json(sets.add(PathParams.of(ctx, "name"), Bodies.read(ctx, Values.class, "a JSON body {\"values\": [...]}").values(),
                source(ctx)));
    }

    /** A CSV file as the request body (text/csv), first column. */
    public void importCsv(Context ctx) {
        ctx.json(sets.importCsv(PathParams.of(ctx, "name"), ctx.body(), source(ctx)));
    }

    public void remove(Context ctx) {
        sets.remove(PathParams.of(ctx, "name"), PathParams.of(ctx, "value"));
        ctx.status(204);
    }

    private static String source(Context ctx) {
        return "Safeguard Responder (" + AccessFilter.caller(ctx).user() + ")";
    }

    record Values(List<String> values) {
    }
}
