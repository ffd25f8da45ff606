package safeguard.journal;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import safeguard.Json;

/**
 * Damage, once detected, stays reported: each finding is kept in {@code store/journal-damage.json}, sealed with
 * the journal's key (an edited copy is refused) and counted in the sealed head (a deleted file or entry is caught),
 * until an admin acknowledges it with a reason. A restart, or the journal's own next writes, never erase it.
 */
final class DamageLog {
    static final String FILE = "journal-damage.json";

    private final JournalSeal seal;
    private final Path file;
    private final List<DamageFinding> entries = new ArrayList<>();

    private DamageLog(JournalSeal seal, Path file) {
        this.seal = seal;
        this.file = file;
    }

    /**
     * Reads the file; {@code headCount} is how many entries the sealed head says it holds (-1: no head). A file
     * that is altered, missing or shorter than the head says is itself a finding, returned for the caller to record.
     */
    static DamageLog open(JournalSeal seal, Path storeDir, int headCount, List<Journal.Damage> found) {
        DamageLog log = new DamageLog(seal, storeDir.resolve(FILE));
        if (Files.exists(log.file)) {
            byte[] body = seal.readSealed(log.file);
            if (body == null) {
                found.add(new Journal.Damage(FILE, null, FILE + " does not carry a valid seal: the damage record was altered"));
            } else {
                try {
                    log.entries.addAll(Json.mapper().readValue(body, new TypeReference<List<DamageFinding>>() { }));
                } catch (IOException e) {
                    found.add(new Journal.Damage(FILE, null, FILE + " cannot be read: " + e.getMessage()));
                }
            }
        }
        if (headCount > log.entries.size() && found.isEmpty()) {
            found.add(new Journal.Damage(FILE, null, "the sealed head counts " + headCount + " damage findings but "
                    + FILE + " holds " + log.entries.size() + ": the damage record was deleted or cut"));
        }
        return log;
    }

    synchronized int count() {
        return entries.size();
    }

    synchronized List<DamageFinding> all() {
        return List.copyOf(entries);
    }

    synchronized List<DamageFinding> open() {
        return entries.stream().filter(DamageFinding::open).toList();
    }

    synchronized boolean acknowledged(String file, Long line) {
        return entries.stream().anyMatch(e -> !e.open() && java.util.Objects.equals(e.file(), file)
                && java.util.Objects.equals(e.line(), line));
    }

    /** Adds a finding unless the same one is already kept; true when it was new. */
    synchronized boolean add(Journal.Damage d, String at) {
        if (entries.stream().anyMatch(e -> e.sameAs(d))) {
            return false;
        }
        entries.add(new DamageFinding(at, d.file(), d.line(), d.reason(), null, null, null));
        save();
        return true;
    }

    /** Acknowledges every open finding; returns those it acknowledged. */
    synchronized List<DamageFinding> acknowledge(String by, String why, String at) {
        List<DamageFinding> done = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            DamageFinding e = entries.get(i);
            if (e.open()) {
                DamageFinding a = new DamageFinding(e.detectedAt(), e.file(), e.line(), e.reason(), at, by, why);
                entries.set(i, a);
                done.add(a);
            }
        }
        if (!done.isEmpty()) {
            save();
        }
        return done;
    }

    private void save() {
        try {
            seal.writeSealed(file, Json.mapper().writeValueAsBytes(entries));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException("cannot write " + file, e);
        }
    }
}
