package safeguard.qradar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The console's reference sets, one state behind both APIs: a set made through the legacy {@code /reference_data/sets}
 * is the same collection {@code /reference_data_collections/sets} lists, with an id; its elements are entries with
 * ids. Entries are kept compact (200,000 of them fit a test JVM) and turned into JSON only when answered.
 */
final class ReferenceStore {
    /** reference_data_collections-sets-POST: entry_type "one of: ALN, ALNIC, NUM, IP, PORT, DATE, CIDR". */
    static final Set<String> TYPES = Set.of("ALN", "NUM", "IP", "PORT", "ALNIC", "DATE", "CIDR");

    static final class Entry {
        final long id;
        final RefSet set;
        final String value;
        String source;
        final long firstSeen;
        long lastSeen;

        Entry(long id, RefSet set, String value, String source, long now) {
            this.id = id;
            this.set = set;
            this.value = value;
            this.source = source;
            this.firstSeen = now;
            this.lastSeen = now;
        }

        /** set_entries' Set Entry DTO. */
        ObjectNode json() {
            return FakeConsole.obj("id", id, "collection_id", set.id, "value", value, "source", source,
                    "first_seen", firstSeen, "last_seen", lastSeen, "domain_id", null, "notes", null);
        }
    }

    static final class RefSet {
        final long id;
        final String name;
        final String type;
        final long created;
        String namespace = "SHARED";
        String expiryType = "NO_EXPIRY";
        Long timeToLive;
        String legacyTimeToLive;
        String description;
        /** Canonical value (type-aware) to entry, in insertion order. */
        final Map<String, Entry> entries = new LinkedHashMap<>();
        private List<Entry> sorted;

        RefSet(long id, String name, String type) {
            this.id = id;
            this.name = name;
            this.type = type;
            this.created = System.currentTimeMillis();
        }

        /** sets' Set Structure DTO (collections API). */
        ObjectNode collection() {
            return FakeConsole.obj("id", id, "name", name, "entry_type", type, "namespace", namespace,
                    "expiry_type", expiryType, "time_to_live", timeToLive, "description", description,
                    "number_of_entries", entries.size(), "creation_time", created, "delete_entries", false,
                    "expired_log_option", "LOG_NONE", "global_id", null, "tenant_id", null);
        }

        /** reference_data-sets-name-GET's answer without its data (legacy API). */
        ObjectNode legacy() {
            String timeout = switch (expiryType) {
                case "FIRST_SEEN", "LAST_SEEN" -> expiryType;
                default -> "UNKNOWN";
            };
            return FakeConsole.obj("name", name, "element_type", type, "namespace", namespace, "timeout_type", timeout,
                    "time_to_live", legacyTimeToLive, "number_of_elements", entries.size(), "creation_time", created);
        }

        /** Entries ordered by value, type-aware (NUM as numbers), as set_entries' sort=+value with entry_type. */
        List<Entry> byValue() {
            if (sorted == null) {
                sorted = new ArrayList<>(entries.values());
                sorted.sort(order(type));
            }
            return sorted;
        }

        List<Entry> inOrder() {
            return new ArrayList<>(entries.values());
        }

        void changed() {
            sorted = null;
        }
    }

    final Map<String, RefSet> byName = new LinkedHashMap<>();
    final Map<Long, RefSet> byId = new HashMap<>();
    final Map<Long, Entry> entries = new HashMap<>();
    private final FakeConsole c;

    ReferenceStore(FakeConsole c) {
        this.c = c;
    }

    RefSet create(String name, String type) {
        RefSet s = new RefSet(c.ids.incrementAndGet(), name, type);
        byName.put(name, s);
        byId.put(s.id, s);
        return s;
    }

    void delete(RefSet s) {
        byName.remove(s.name);
        byId.remove(s.id);
        s.entries.values().forEach(e -> entries.remove(e.id));
    }

    /** Adds or refreshes a value: true when it is new to the set (201), false when updated (200). */
    boolean put(RefSet s, String value, String source) {
        long now = System.currentTimeMillis();
        Entry old = s.entries.get(canonical(s.type, value));
        if (old != null) {
            old.lastSeen = now;
            old.source = source;
            return false;
        }
        Entry e = new Entry(c.ids.incrementAndGet(), s, value, source, now);
        s.entries.put(canonical(s.type, value), e);
        entries.put(e.id, e);
        s.changed();
        return true;
    }

    boolean remove(RefSet s, String value) {
        Entry e = s.entries.remove(canonical(s.type, value));
        if (e == null) {
            return false;
        }
        entries.remove(e.id);
        s.changed();
        return true;
    }

    /** Null when {@code value} fits the entry type, otherwise why not (set_entries-POST 422 20006 / 20009). */
    static String misfit(String type, String value) {
        switch (type) {
            case "NUM" -> {
                return number(value) == null ? "'" + value + "' is not a NUM value" : null;
            }
            case "PORT" -> {
                return value.matches("\\d{1,5}") && Integer.parseInt(value) <= 65_535 ? null : "'" + value + "' is not a PORT";
            }
            case "IP" -> {
                return value.matches("[0-9a-fA-F:.]+") ? null : "'" + value + "' is not an IP";
            }
            case "CIDR" -> {
                return value.matches("[0-9a-fA-F:.]+/\\d{1,3}") ? null : "'" + value + "' is not a CIDR";
            }
            default -> {
                return null;
            }
        }
    }

    /** How the console compares values of a type: 2001 and 2001.0 are one NUM, ALNIC ignores case. */
    static String canonical(String type, String value) {
        return switch (type) {
            case "NUM" -> {
                BigDecimal n = number(value);
                yield n == null ? value : n.stripTrailingZeros().toPlainString();
            }
            case "ALNIC" -> value.toLowerCase(Locale.ROOT);
            default -> value;
        };
    }

    static Comparator<Entry> order(String type) {
        if (type.equals("NUM")) {
            return Comparator.comparing((Entry e) -> number(e.value), Comparator.nullsLast(Comparator.naturalOrder()))
                    .thenComparing(e -> e.value);
        }
        return Comparator.comparing(e -> e.value);
    }

    static BigDecimal number(String v) {
        try {
            return new BigDecimal(v.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }
}
