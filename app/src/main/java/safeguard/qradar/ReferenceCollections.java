package safeguard.qradar;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reference sets through {@code /reference_data_collections/*} (API 16.0 on; pages of 26.0): sets found by name and
 * addressed by id, entries addressed by id. A few values go in one POST each (201 new, 200 already there); more in
 * one bulk update PATCH whose task is polled and whose results say, entry by entry, which were new.
 */
final class ReferenceCollections implements ReferenceData {
    static final String SETS = "/reference_data_collections/sets";
    static final String ENTRIES = "/reference_data_collections/set_entries";
    static final String BULK_TASKS = "/reference_data_collections/set_bulk_update_tasks";
    static final String DELETE_TASKS = "/reference_data_collections/set_delete_tasks";
    /** Up to this many values go in one POST each; more in bulk updates of {@link #BULK} entries. */
    static final int SINGLE = 10;
    static final int BULK = 10_000;
    private static final String SET_FIELDS = "id,name,entry_type,number_of_entries";
    private static final Pattern INTERVAL = Pattern.compile("(\\d+)\\s*(second|minute|hour|day|week|month|year)s?",
            Pattern.CASE_INSENSITIVE);

    private final QradarClient qradar;

    ReferenceCollections(QradarClient qradar) {
        this.qradar = qradar;
    }

    @Override
    public Optional<SetInfo> find(String name) {
        JsonNode list = qradar.getRange(SETS, Map.of("filter", "name=" + quoted(name), "fields", SET_FIELDS), 0, 9);
        for (JsonNode s : list) {
            if (s.path("name").asText().equals(name)) {
                return Optional.of(info(s));
            }
        }
        return Optional.empty();
    }

    @Override
    public SetInfo create(NewSet set) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", set.name());
        body.put("entry_type", set.entryType());
        body.put("namespace", "SHARED");
        if (set.description() != null) {
            body.put("description", set.description());
        }
        if (set.timeToLive() == null) {
            body.put("expiry_type", "NO_EXPIRY");
        } else {
            body.put("expiry_type", set.timeoutType());
            body.put("time_to_live", seconds(set.timeToLive()));
        }
        return info(qradar.post(SETS, Map.of(), body));
    }

    @Override
    public int add(SetInfo set, List<String> values, String source) {
        long id = Long.parseLong(set.id());
        int created = 0;
        if (values.size() <= SINGLE) {
            for (String v : values) {
                QradarClient.Reply r = qradar.postWithStatus(ENTRIES, Map.of(), entry(id, v, source));
                created += r.status() == 201 ? 1 : 0;
            }
            return created;
        }
        for (int from = 0; from < values.size(); from += BULK) {
            List<Map<String, Object>> body = new ArrayList<>();
            for (String v : values.subList(from, Math.min(values.size(), from + BULK))) {
                body.add(entry(id, v, source));
            }
            JsonNode task = qradar.patchAndWait(ENTRIES, body, BULK_TASKS);
            JsonNode results = qradar.get(BULK_TASKS + "/" + task.path("id").asText() + "/results", Map.of());
            for (JsonNode r : results.path("responses")) {
                int status = r.path("http_status").asInt();
                if (status == 201) {
                    created++;
                } else if (status != 200) {
                    throw new QradarException(status, r.path("unique_code").asInt(), "QRadar refused an entry of the "
                            + "bulk update (" + results.path("status").asText() + "): " + r.path("message").asText());
                }
            }
        }
        return created;
    }

    @Override
    public List<Entry> entries(SetInfo set, int from, int to) {
        int last = Math.min(to, from + MAX_SLICE - 1);
        JsonNode page = qradar.getRange(ENTRIES, Map.of("filter", "collection_id=" + set.id(), "entry_type",
                set.entryType(), "sort", "+value", "fields", "value,source,first_seen,last_seen"), from, last);
        List<Entry> out = new ArrayList<>();
        for (JsonNode e : page) {
            out.add(new Entry(e.path("value").asText(), text(e.path("source")), millis(e.path("first_seen")),
                    millis(e.path("last_seen"))));
        }
        return out;
    }

    @Override
    public boolean remove(SetInfo set, String value) {
        JsonNode found = qradar.getRange(ENTRIES, Map.of("filter", "collection_id=" + set.id() + " and value="
                + quoted(value), "entry_type", set.entryType(), "fields", "id,value"), 0, 9);
        boolean removed = false;
        for (JsonNode e : found) {
            try {
                qradar.delete(ENTRIES + "/" + e.path("id").asLong());
                removed = true;
            } catch (QradarException gone) {
                if (!gone.isNotFound()) {
                    throw gone;
                }
            }
        }
        return removed;
    }

    @Override
    public void delete(SetInfo set) {
        qradar.deleteAndWait(SETS + "/" + Long.parseLong(set.id()), DELETE_TASKS);
    }

    private static Map<String, Object> entry(long collectionId, String value, String source) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("collection_id", collectionId);
        e.put("value", value);
        e.put("source", source);
        return e;
    }

    private static SetInfo info(JsonNode s) {
        return new SetInfo(s.path("id").asText(), s.path("name").asText(), s.path("entry_type").asText(),
                s.path("number_of_entries").asLong());
    }

    /**
     * reference-sets/ keeps the legacy interval ("3 months"); the collections page types time_to_live as a number
     * without naming its unit: sent as seconds, and a 422/10007 says so if the console disagrees.
     */
    static long seconds(String interval) {
        Matcher m = INTERVAL.matcher(interval.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("time to live '" + interval + "' is not '<n> <unit>'");
        }
        long n = Long.parseLong(m.group(1));
        return n * switch (m.group(2).toLowerCase(java.util.Locale.ROOT)) {
            case "second" -> 1L;
            case "minute" -> 60L;
            case "hour" -> 3_600L;
            case "day" -> 86_400L;
            case "week" -> 604_800L;
            case "month" -> 2_592_000L;
            default -> 31_536_000L;
        };
    }

    static String quoted(String value) {
        return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    private static String text(JsonNode n) {
        return n.isMissingNode() || n.isNull() ? null : n.asText();
    }

    private static Long millis(JsonNode n) {
        return n.canConvertToLong() ? n.asLong() : null;
    }
}
