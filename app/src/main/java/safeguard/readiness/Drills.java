package safeguard.readiness;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.http.Protection;
import safeguard.http.Verdict;
import safeguard.journal.Journal;
import safeguard.store.Store;
import safeguard.targets.Connector;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * Drills, opt-in per target: on schedule, a real protective action on what the admin named for drills, with a
 * short expiry, verified as any action is (the copy is read back), journaled as a {@code drill} — proof that the
 * path from the app to an immutable copy works today. A drill runs beside the actions, never through their
 * coalescing window, so it cannot absorb a real action that follows it.
 */
public final class Drills {
    static final String FILE = "readiness-drills.json";
    static final int MAX_EVERY_HOURS = 24 * 7;
    static final int MIN_EXPIRY_MINUTES = 10;
    static final int MAX_EXPIRY_MINUTES = 24 * 60;
    private static final java.util.regex.Pattern NAME = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9 ._:-]{0,127}");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss").withZone(ZoneOffset.UTC);

    private final Store store;
    private final TargetService targets;
    private final Connector connector;
    private final Journal journal;
    private final Clock clock;
    private final Map<String, DrillResult> last = new ConcurrentHashMap<>();
    private volatile Map<String, DrillSpec> specs;

    public Drills(Store store, TargetService targets, Connector connector, Journal journal, Clock clock) {
        this.store = store;
        this.targets = targets;
        this.connector = connector;
        this.journal = journal;
        this.clock = clock;
        try {
            var bytes = store.read(FILE);
            specs = bytes.isPresent() ? Json.mapper().readValue(bytes.get(), new TypeReference<TreeMap<String, DrillSpec>>() { })
                    : new TreeMap<>();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    /** What GET /api/readiness/drills answers per target. */
    public record View(String target, DrillSpec drill, DrillResult last) {
    }

    public List<View> list() {
        List<View> out = new ArrayList<>();
        specs.forEach((t, s) -> out.add(new View(t, s, last.get(t))));
        return out;
    }

    /** Opts {@code name} into drills, or changes its drill; validated whole, nothing stored on bad input. */
    public synchronized View set(String name, DrillSpec in) {
        Target t = targets.target(name);
        if (in == null) {
            throw new InvalidInputException("body", "a JSON object naming the fileset, session or job for drills");
        }
        switch (t.kind()) {
            case Target.SCALE -> {
                if (in.fileset() == null || !NAME.matcher(in.fileset()).matches()) {
                    throw new InvalidInputException("fileset", "fileset must name the small fileset drills snapshot");
                }
            }
            case Target.CSM -> {
                if (in.session() == null || !NAME.matcher(in.session()).matches()) {
                    throw new InvalidInputException("session", "session must name the CSM session drills back up");
                }
            }
            default -> {
                if (in.job() == null || !NAME.matcher(in.job()).matches()) {
                    throw new InvalidInputException("job", "job must name the CDM job drills run");
                }
            }
        }
        if (in.everyHours() != null && (in.everyHours() < 1 || in.everyHours() > MAX_EVERY_HOURS)) {
            throw new InvalidInputException("everyHours", "everyHours must be from 1 to " + MAX_EVERY_HOURS);
        }
        if (in.expiryMinutes() != null && (in.expiryMinutes() < MIN_EXPIRY_MINUTES || in.expiryMinutes() > MAX_EXPIRY_MINUTES)) {
            throw new InvalidInputException("expiryMinutes", "expiryMinutes must be from " + MIN_EXPIRY_MINUTES
                    + " to " + MAX_EXPIRY_MINUTES);
        }
        DrillSpec kept = new DrillSpec(t.kind().equals(Target.SCALE) ? in.fileset() : null,
                t.kind().equals(Target.CSM) ? in.session() : null, t.kind().equals(Target.CDM) ? in.job() : null,
                in.every(), in.expiry());
        Map<String, DrillSpec> next = new TreeMap<>(specs);
        next.put(name, kept);
        save(next);
        return new View(name, kept, last.get(name));
    }

    public synchronized void remove(String name) {
        if (!specs.containsKey(name)) {
            throw new safeguard.NotFoundException("no drill for target " + name);
        }
        Map<String, DrillSpec> next = new TreeMap<>(specs);
        next.remove(name);
        save(next);
        last.remove(name);
    }

    private void save(Map<String, DrillSpec> next) {
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        specs = next;
    }

    /** The drills whose time has come (never run since start, or longer ago than their interval). */
    void runDue() {
        Instant now = clock.instant();
        specs.forEach((t, s) -> {
            DrillResult r = last.get(t);
            if (r == null || !Instant.parse(r.at()).plus(Duration.ofHours(s.every())).isAfter(now)) {
                run(t);
            }
        });
    }

    /** One drill now, journaled whatever happens. */
    public DrillResult run(String name) {
        DrillSpec s = specs.get(name);
        if (s == null) {
            throw new safeguard.NotFoundException("no drill for target " + name + ": opt in first");
        }
        Instant now = clock.instant();
        String id = "drill-" + STAMP.format(now) + "-" + name;
        DrillResult r;
        Target t;
        try {
            t = targets.target(name);
        } catch (RuntimeException e) {
            r = new DrillResult(id, name, now.toString(), Verdict.NOT_PROTECTED.status(), Map.of(), "the target is gone");
            return record(r);
        }
        if (t.dryRun()) {
            return record(new DrillResult(id, name, now.toString(), "dry-run", Map.of(),
                    "the target is in dry-run: a drill would call nothing"));
        }
        Protection p;
        try (Connector.Session session = connector.open(name)) {
            p = switch (t.kind()) {
                case Target.SCALE -> connector.scale(session).createSnapshot(t.scale().fileSystem(), s.fileset(),
                        t.scale().snapshotPrefix() + "-drill-" + STAMP.format(now), now.plus(Duration.ofMinutes(s.expiry())),
                        t.scale().clusterTimeZone() == null ? ZoneOffset.UTC : ZoneId.of(t.scale().clusterTimeZone()), false);
                case Target.CSM -> connector.csm(session).runSessionCommand(s.session(),
                        t.csm().command() == null ? "Backup" : t.csm().command(), null);
                default -> connector.cdm(session).runJob(s.job(), null);
            };
        } catch (RuntimeException e) {
            p = Protection.of(Verdict.UNKNOWN, Map.of(), e.getMessage());
        }
        return record(new DrillResult(id, name, now.toString(), p.verdict().status(), p.details(), p.error()));
    }

    private DrillResult record(DrillResult r) {
        last.put(r.target(), r);
        ObjectNode data = Json.mapper().valueToTree(r);
        data.put("drill", true);
        try {
            journal.append(r.id(), "drill", data);
        } catch (RuntimeException e) {
            org.slf4j.LoggerFactory.getLogger(Drills.class).warn("could not journal drill {}: {}", r.id(), e.toString());
        }
        return r;
    }

    /** A readiness check per drill: its last result, or that none ran yet, or that the last is overdue. */
    List<Check> checks() {
        List<Check> out = new ArrayList<>();
        Instant now = clock.instant();
        specs.forEach((t, s) -> {
            DrillResult r = last.get(t);
            String what = s.fileset() != null ? "fileset " + s.fileset() : s.session() != null ? "session " + s.session()
                    : "job " + s.job();
            if (r == null) {
                out.add(Check.warning("drill", t, "no drill on " + what + " has run since the app started"));
            } else if (r.status().equals(Verdict.PROTECTED.status())) {
                boolean overdue = Instant.parse(r.at()).plus(Duration.ofHours(2L * s.every())).isBefore(now);
                String done = "drill " + r.id() + " on " + what + " at " + r.at() + ": copy made and read back"
                        + (r.details().get("snapshot") == null ? "" : " (" + r.details().get("snapshot") + ")");
                out.add(overdue ? Check.warning("drill", t, done + "; the next one is overdue") : Check.ok("drill", t, done));
            } else if (r.status().equals(Verdict.PROTECTED_NOT_AS_PLANNED.status()) || r.status().equals("dry-run")) {
                out.add(Check.warning("drill", t, "drill " + r.id() + " on " + what + ": " + r.status()
                        + (r.error() == null ? "" : ": " + r.error())));
            } else {
                out.add(Check.failed("drill", t, "drill " + r.id() + " on " + what + " ended " + r.status()
                        + (r.error() == null ? "" : ": " + r.error()) + ". A real action on this target would likely fail "
                        + "the same way."));
            }
        });
        return out;
    }
}
