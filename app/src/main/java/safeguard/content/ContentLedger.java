package safeguard.content;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.Json;
import safeguard.store.Store;

/**
 * store/qradar-content.json: what the app found or created in QRadar, written after every creation so that a
 * failure half-way loses nothing and the uninstall hook removes exactly what the app made.
 */
final class ContentLedger {
    static final String FILE = "qradar-content.json";

    private final Store store;
    private final Map<String, LedgerEntry> entries = new LinkedHashMap<>();

    private ContentLedger(Store store) {
        this.store = store;
    }

    static ContentLedger load(Store store) {
        ContentLedger ledger = new ContentLedger(store);
        try {
            Optional<byte[]> bytes = store.read(FILE);
            if (bytes.isPresent()) {
                List<LedgerEntry> list = Json.mapper().readValue(bytes.get(), new TypeReference<List<LedgerEntry>>() { });
                list.forEach(e -> ledger.entries.put(key(e.kind(), e.name()), e));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
        return ledger;
    }

    private static String key(String kind, String name) {
        return kind + "\u0000" + name;
    }

    synchronized Optional<LedgerEntry> find(String kind, String name) {
        return Optional.ofNullable(entries.get(key(kind, name)));
    }

    /** Records an entry; an entry the app created stays "created" even if later found again by name. */
    synchronized void record(LedgerEntry e) {
        LedgerEntry old = entries.get(key(e.kind(), e.name()));
        boolean created = e.created() || (old != null && old.created() && old.id().equals(e.id()));
        LedgerEntry merged = new LedgerEntry(e.kind(), e.name(), e.id(), created);
        if (merged.equals(old)) {
            return;
        }
        entries.put(key(e.kind(), e.name()), merged);
        persist();
    }

    synchronized void forget(LedgerEntry e) {
        if (entries.remove(key(e.kind(), e.name())) != null) {
            persist();
        }
    }

    synchronized List<LedgerEntry> entries() {
        return new ArrayList<>(entries.values());
    }

    private void persist() {
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new ArrayList<>(entries.values())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }
}
