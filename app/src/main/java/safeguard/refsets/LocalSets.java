package safeguard.refsets;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.Json;
import safeguard.dsm.ReferenceSet;
import safeguard.store.Store;

/**
 * Outside QRadar the sets live in store/reference-sets.json, seeded from reference-sets/ on first use, so the
 * page works (and a rule author can prepare the lists) before the app meets a console.
 */
final class LocalSets implements SetBackend {
    static final String FILE = "reference-sets.json";

    private final Store store;
    private final Clock clock;
    private final Map<String, List<Element>> sets;

    LocalSets(Store store, Clock clock, List<ReferenceSet> seed) {
        this.store = store;
        this.clock = clock;
        this.sets = load(store, seed, clock);
    }

    @Override
    public String where() {
        return "local";
    }

    @Override
    public synchronized List<Element> elements(String name, String elementType) {
        return List.copyOf(sets.getOrDefault(name, List.of()));
    }

    @Override
    public synchronized void add(String name, String elementType, List<String> values, String source) {
        String now = clock.instant().toString();
        List<Element> next = new ArrayList<>(sets.getOrDefault(name, List.of()));
        for (String v : values) {
            next.add(new Element(v, source, now, now));
        }
        save(name, next);
    }

    @Override
    public synchronized boolean remove(String name, String value) {
        List<Element> next = new ArrayList<>(sets.getOrDefault(name, List.of()));
        if (!next.removeIf(e -> e.value().equals(value))) {
            return false;
        }
        save(name, next);
        return true;
    }

    /** The file first, memory after: a failed write leaves both as they were. */
    private void save(String name, List<Element> next) {
        Map<String, List<Element>> all = new LinkedHashMap<>(sets);
        all.put(name, next);
        write(store, all);
        sets.put(name, List.copyOf(next));
    }

    private static Map<String, List<Element>> load(Store store, List<ReferenceSet> seed, Clock clock) {
        try {
            Optional<byte[]> bytes = store.read(FILE);
            Map<String, List<Element>> out = new LinkedHashMap<>();
            if (bytes.isPresent()) {
                out.putAll(Json.mapper().readValue(bytes.get(), new TypeReference<Map<String, List<Element>>>() { }));
            }
            boolean seeded = false;
            String now = clock.instant().toString();
            for (ReferenceSet s : seed) {
                if (!out.containsKey(s.name())) {
                    out.put(s.name(), s.elements().stream().map(v -> new Element(v, "reference-sets.json", now, now)).toList());
                    seeded = true;
                }
            }
            if (seeded) {
                write(store, out);
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    private static void write(Store store, Map<String, List<Element>> all) {
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(all));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }
}
