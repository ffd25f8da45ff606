package safeguard.qradar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reference sets on a console older than the collections API (before 16.0): {@code /reference_data/sets}, named in
 * the path. Its bulk load there is {@code sets/bulk_load/{name}} (the namespaced form came with 17.0); a set's
 * elements come in {@code Range} slices of {@code GET sets/{name}}, in the console's order.
 */
final class LegacyReferenceSets implements ReferenceData {
    static final String SETS = "/reference_data/sets";

    private final QradarClient qradar;

    LegacyReferenceSets(QradarClient qradar) {
        this.qradar = qradar;
    }

    @Override
    public Optional<SetInfo> find(String name) {
        try {
            // A slice of nothing: the set's metadata without its elements.
            return Optional.of(info(qradar.getRange(path(name), Map.of("fields",
                    "name,element_type,number_of_elements"), 0, 0)));
        } catch (QradarException e) {
            if (e.isNotFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    @Override
    public SetInfo create(NewSet set) {
        Map<String, Object> query = new LinkedHashMap<>();
        query.put("name", set.name());
        query.put("element_type", set.entryType());
        if (set.timeToLive() != null) {
            query.put("timeout_type", set.timeoutType());
            query.put("time_to_live", set.timeToLive());
        }
        return info(qradar.post(SETS, query, null));
    }

    @Override
    public int add(SetInfo set, List<String> values, String source) {
        long before = find(set.name()).map(SetInfo::count).orElse(0L);
        JsonNode after = qradar.post(SETS + "/bulk_load/" + seg(set.name()), Map.of(), values);
        return (int) Math.max(0, Math.min(values.size(), after.path("number_of_elements").asLong() - before));
    }

    @Override
    public List<Entry> entries(SetInfo set, int from, int to) {
        int last = Math.min(to, from + MAX_SLICE - 1);
        JsonNode page = qradar.getRange(path(set.name()), Map.of("fields",
                "name,element_type,number_of_elements,data(value,source,first_seen,last_seen)"), from, last);
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : page.path("data")) {
            out.add(new Entry(e.path("value").asText(), e.hasNonNull("source") ? e.path("source").asText() : null,
                    e.path("first_seen").canConvertToLong() ? e.path("first_seen").asLong() : null,
                    e.path("last_seen").canConvertToLong() ? e.path("last_seen").asLong() : null));
        }
        return out;
    }

    @Override
    public boolean remove(SetInfo set, String value) {
        try {
            qradar.deleteJson(path(set.name()) + "/" + seg(value));
            return true;
        } catch (QradarException e) {
            if (e.isNotFound()) {
                return false;
            }
            throw e;
        }
    }

    @Override
    public void delete(SetInfo set) {
        qradar.deleteAndWait(path(set.name()), "/system/task_management/tasks");
    }

    private static String path(String name) {
        return SETS + "/" + seg(name);
    }

    private static String seg(String s) {
        return safeguard.http.UrlPath.segment(s);
    }

    private static SetInfo info(JsonNode s) {
        return new SetInfo(s.path("name").asText(), s.path("name").asText(), s.path("element_type").asText(),
                s.path("number_of_elements").asLong());
    }
}
