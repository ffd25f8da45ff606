package safeguard.offenses;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.Json;
import safeguard.store.Store;

/**
 * Where the poller is in QRadar's offenses, kept in {@code store/offense-bookmark.json} (written atomically and
 * forced, like every store file): the last {@code last_persisted_time} read, the offenses read at exactly that
 * millisecond (read again by the next {@code >=} filter, so skipped by id) and the offenses acted upon, per
 * target, with the action that covers each (the newest {@link #MAX_ACTED}). It is written only after the actions
 * it names are journaled, and a re-read offense is submitted with the same idempotency key, so a restart at any
 * point neither skips an offense nor acts on one twice.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
record Bookmark(long after, List<Long> idsAtAfter, Map<String, String> acted) {
    static final String FILE = "offense-bookmark.json";
    static final int MAX_ACTED = 10_000;

    Bookmark {
        idsAtAfter = List.copyOf(idsAtAfter == null ? List.of() : idsAtAfter);
        acted = acted == null ? new LinkedHashMap<>() : new LinkedHashMap<>(acted);
    }

    static Optional<Bookmark> read(Store store) {
        try {
            Optional<byte[]> b = store.read(FILE);
            return b.isEmpty() ? Optional.empty() : Optional.ofNullable(Json.mapper().readValue(b.get(), Bookmark.class));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    void write(Store store) {
        try {
            store.writeAtomically(FILE, Json.mapper().writeValueAsBytes(this));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
    }

    static void forget(Store store) {
        try {
            if (store.read(FILE).isPresent()) {
                store.writeAtomically(FILE, "null".getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot reset " + FILE, e);
        }
    }

    /** The action covering offense {@code offense} on {@code target}, if the poller acted on it. */
    String actedOn(long offense, String target) {
        return acted.get(offense + "/" + target);
    }

    Bookmark withActed(long offense, String target, String action) {
        Map<String, String> next = new LinkedHashMap<>(acted);
        next.put(offense + "/" + target, action);
        while (next.size() > MAX_ACTED) {
            next.remove(next.keySet().iterator().next());
        }
        return new Bookmark(after, idsAtAfter, next);
    }

    Bookmark movedTo(long time, List<Long> idsAtTime) {
        return new Bookmark(time, idsAtTime, acted);
    }
}
