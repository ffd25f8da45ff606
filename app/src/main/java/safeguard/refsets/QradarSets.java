package safeguard.refsets;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import safeguard.NotFoundException;
import safeguard.http.UpstreamException;
import safeguard.http.UrlPath;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;

/**
 * Reference sets as QRadar holds them, through the same endpoints content provisioning uses: elements read in
 * slices with {@code Range} (without it the console answers only a first slice), added with API 26.0's bulk load.
 */
final class QradarSets implements SetBackend {
    static final String SETS = "/reference_data/sets/";
    static final int SLICE = 1_000;

    private final QradarClient qradar;

    /** {@code qradar} is null until an admin authorised the app; every call then says so. */
    QradarSets(QradarClient qradar) {
        this.qradar = qradar;
    }

    @Override
    public String where() {
        return "qradar";
    }

    @Override
    public List<Element> elements(String name, String elementType) {
        List<Element> out = new ArrayList<>();
        for (int from = 0; ; from += SLICE) {
            int start = from;
            JsonNode set = call(name, () -> client().getRange(SETS + UrlPath.segment(name),
                    Map.of("fields", "name,element_type,number_of_elements,data(value,source,first_seen,last_seen)"),
                    start, start + SLICE - 1));
            for (JsonNode e : set.path("data")) {
                out.add(new Element(value(e.path("value"), elementType), text(e.path("source")),
                        time(e.path("first_seen")), time(e.path("last_seen"))));
            }
            if (set.path("data").size() < SLICE) {
                return out;
            }
        }
    }

    @Override
    public void add(String name, String elementType, List<String> values, String source) {
        // API 26.0: namespace and domain are part of the path; the app's sets live in the SHARED namespace.
        call(name, () -> client().post(SETS + "bulk_load/SHARED/" + UrlPath.segment(name) + "/SHARED", Map.of(), values));
    }

    @Override
    public boolean remove(String name, String value) {
        try {
            client().deleteJson(SETS + UrlPath.segment(name) + "/" + UrlPath.segment(value));
            return true;
        } catch (QradarException e) {
            if (e.isNotFound()) {
                return false; // the value (or the set) is gone already: what the caller wanted
            }
            throw upstream(e);
        }
    }

    private QradarClient client() {
        if (qradar == null) {
            throw new UpstreamException(0, "the app is not authorised with QRadar yet: an administrator completes "
                    + "the authorisation in Extensions Management, then reference sets can be read and edited", null);
        }
        return qradar;
    }

    private static JsonNode call(String name, java.util.function.Supplier<JsonNode> call) {
        try {
            return call.get();
        } catch (QradarException e) {
            if (e.isNotFound()) {
                throw new NotFoundException("QRadar has no reference set " + name + " (yet): see content provisioning in Settings");
            }
            throw upstream(e);
        }
    }

    private static UpstreamException upstream(QradarException e) {
        return new UpstreamException(e.status(), "QRadar refused the reference set change: " + e.getMessage(), null);
    }

    /** NUM sets come back as numbers (2001 or 2001.0 depending on the version): show them as they were typed. */
    private static String value(JsonNode v, String elementType) {
        if ("NUM".equals(elementType) && v.isNumber() && v.asDouble() == Math.rint(v.asDouble())) {
            return Long.toString(v.asLong());
        }
        if ("NUM".equals(elementType) && v.isTextual() && v.asText().endsWith(".0")) {
            return v.asText().substring(0, v.asText().length() - 2);
        }
        return v.asText();
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static String time(JsonNode n) {
        return n.canConvertToLong() ? Instant.ofEpochMilli(n.asLong()).toString() : null;
    }
}
