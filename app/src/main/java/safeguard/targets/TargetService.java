package safeguard.targets;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.ConflictException;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.NotFoundException;
import safeguard.store.Store;

/**
 * The configured storage targets, kept in store/targets.json. Every change is validated first and written
 * atomically before it takes effect, so a bad request or a crash never leaves a partial configuration.
 */
public final class TargetService {
    static final String FILE = "targets.json";
    static final String TESTS = "target-tests.json";

    private final Store store;
    private final SecretBox secrets;
    private Map<String, Target> targets;
    private final List<Changes> listeners = new java.util.concurrent.CopyOnWriteArrayList<>();

    /** Told after a target's settings changed or it was deleted (clients, sessions, queues of it are let go). */
    public interface Changes {
        void changed(String name, boolean deleted);
    }

    public void onChange(Changes l) {
        listeners.add(l);
    }
    private Map<String, LastTest> tests;

    public TargetService(Store store) {
        this.store = store;
        this.secrets = SecretBox.open(store.dir());
        this.targets = load();
        this.tests = loadTests();
    }

    private Map<String, LastTest> loadTests() {
        try {
            Optional<byte[]> bytes = store.read(TESTS);
            return bytes.isPresent()
                    ? new LinkedHashMap<>(Json.mapper().readValue(bytes.get(), new TypeReference<Map<String, LastTest>>() { }))
                    : new LinkedHashMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + TESTS, e);
        }
    }

    /** Keeps a target's newest connection test (what the health column shows); a deleted target's is dropped. */
    public synchronized void recordTest(String name, LastTest test) {
        if (!targets.containsKey(name)) {
            return;
        }
        Map<String, LastTest> next = new LinkedHashMap<>(tests);
        next.put(name, test);
        writeTests(next);
    }

    private void writeTests(Map<String, LastTest> next) {
        try {
            store.writeAtomically(TESTS, Json.mapper().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + TESTS, e);
        }
        tests = next;
    }

    private Map<String, Target> load() {
        try {
            Map<String, Target> m = new LinkedHashMap<>();
            Optional<byte[]> bytes = store.read(FILE);
            if (bytes.isPresent()) {
                for (Target t : Json.mapper().readValue(bytes.get(), new TypeReference<List<Target>>() { })) {
                    m.put(t.name(), t);
                }
            }
            return m;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    public synchronized List<Target> all() {
        return List.copyOf(targets.values());
    }

    public synchronized List<TargetView> list() {
        return targets.values().stream().map(t -> TargetView.of(t, tests.get(t.name()))).toList();
    }

    public synchronized TargetView view(String name) {
        return TargetView.of(target(name), tests.get(name));
    }

    public synchronized Target target(String name) {
        Target t = targets.get(name);
        if (t == null) {
            throw new NotFoundException("no target named '" + name + "'");
        }
        return t;
    }

    /** The plain password, for a client about to log in; never stored or logged by the caller. */
    public String password(Target t) {
        return secrets.decrypt(t.sealedPassword(), t.name());
    }

    public synchronized TargetView create(TargetInput in) {
        Target checked = TargetValidator.check(in, null);
        if (targets.containsKey(checked.name())) {
            throw new ConflictException("name", "a target named '" + checked.name() + "' exists already");
        }
        Target sealed = seal(checked, in.password());
        save(with(sealed));
        return TargetView.of(sealed);
    }

    public synchronized TargetView update(String name, TargetInput in) {
        Target old = target(name);
        if (in.name() != null && !in.name().equals(name)) {
            throw new InvalidInputException("name", "a target cannot be renamed; create a new one");
        }
        if (in.kind() != null && !in.kind().equals(old.kind())) {
            throw new InvalidInputException("kind", "a target's kind cannot change");
        }
        TargetInput complete = new TargetInput(old.kind(), name, in.host(), in.port(), in.username(), in.password(),
                in.tls(), in.connectTimeoutSeconds(), in.requestTimeoutSeconds(), in.scale(), in.csm(), in.cdm(), in.dryRun(),
                in.confirmSeconds());
        Target checked = TargetValidator.check(complete, old.sealedPassword());
        boolean keepPassword = in.password() == null || in.password().isEmpty();
        if (keepPassword && !sameServerAndTrust(old, checked)) {
            throw new InvalidInputException("password", "enter the password again: the host, port or TLS trust "
                    + "changed, and a stored password is only ever sent to the server it was entered for");
        }
        Target updated = keepPassword ? checked : seal(checked, in.password());
        save(with(updated));
        listeners.forEach(l -> l.changed(name, false));
        return TargetView.of(updated, tests.get(name));
    }

    public synchronized void delete(String name) {
        target(name);
        Map<String, Target> next = new LinkedHashMap<>(targets);
        next.remove(name);
        save(next);
        if (tests.containsKey(name)) {
            Map<String, LastTest> left = new LinkedHashMap<>(tests);
            left.remove(name);
            writeTests(left);
        }
        listeners.forEach(l -> l.changed(name, true));
    }

    /** Whether the stored password would go where it went before, trusted as before (both already normalised). */
    private static boolean sameServerAndTrust(Target a, Target b) {
        return a.host().equalsIgnoreCase(b.host()) && a.port() == b.port() && a.tls().equals(b.tls());
    }

    private Target seal(Target t, String password) {
        return new Target(t.kind(), t.name(), t.host(), t.port(), t.username(), secrets.encrypt(password, t.name()),
                t.tls(), t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), t.scale(), t.csm(), t.cdm(), t.dryRun(),
                t.confirmSeconds());
    }

    private Map<String, Target> with(Target t) {
        Map<String, Target> next = new LinkedHashMap<>(targets);
        next.put(t.name(), t);
        return next;
    }

    private void save(Map<String, Target> next) {
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter()
                    .writeValueAsBytes(new ArrayList<>(next.values())));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        targets = next;
    }
}
