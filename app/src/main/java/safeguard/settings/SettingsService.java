package safeguard.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.store.Store;

/** Settings in store/settings.json; a change is validated whole, written atomically, then used at once. */
public final class SettingsService {
    static final String FILE = "settings.json";
    static final int MAX_WINDOW_SECONDS = 86_400;

    private final Store store;
    private volatile Settings current;

    public SettingsService(Store store) {
        this.store = store;
        try {
            Optional<byte[]> bytes = store.read(FILE);
            current = bytes.isPresent() ? merge(Json.mapper().readValue(bytes.get(), Settings.class), Settings.DEFAULTS)
                    : Settings.DEFAULTS;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    public Settings get() {
        return current;
    }

    /** Fields left out keep their value. */
    public synchronized Settings update(Settings change) {
        if (change == null) {
            throw new InvalidInputException("body", "a JSON object with coalesceWindowSeconds and/or dryRunAll is required");
        }
        Integer window = change.coalesceWindowSeconds();
        if (window != null && (window < 0 || window > MAX_WINDOW_SECONDS)) {
            throw new InvalidInputException("coalesceWindowSeconds",
                    "coalesceWindowSeconds must be from 0 (no coalescing) to " + MAX_WINDOW_SECONDS + " (a day)");
        }
        Settings next = merge(change, current);
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        current = next;
        return next;
    }

    private static Settings merge(Settings change, Settings base) {
        return new Settings(
                change.coalesceWindowSeconds() != null ? change.coalesceWindowSeconds() : base.coalesceWindowSeconds(),
                change.dryRunAll() != null ? change.dryRunAll() : base.dryRunAll());
    }
}
