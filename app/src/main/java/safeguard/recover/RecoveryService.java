package safeguard.recover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import safeguard.ConflictException;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.NotFoundException;
import safeguard.actions.ActionAnswer;
import safeguard.actions.ActionDetail;
import safeguard.actions.ActionService;
import safeguard.actions.ActionSummary;
import safeguard.actions.RestorePlans;
import safeguard.cdm.CdmClient;
import safeguard.csm.CsmClient;
import safeguard.http.Protection;
import safeguard.scale.ScaleCopies;
import safeguard.targets.Connector;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * Bringing data back from the immutable copies the app made. For an incident (an action and the burst coalesced
 * into it) it proposes the newest copy the storage system shows valid that was taken before the incident's first
 * suspicious event, and explains the choice; it checks a restore completely (snapshot, paths, destination, the
 * target's name typed as confirmation) before anything is written, lists the exact upstream calls, and hands the
 * fixed plan to the action engine, which journals, runs, reads back and resumes it like a protective action.
 */
public final class RecoveryService {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(RecoveryService.class);
    private final ActionService actions;
    private final TargetService targets;
    private final Connector connector;
    private final java.util.function.Supplier<safeguard.settings.Settings> settings;
    private final RecoveryPoints points;
    /** Recoveries whose clean room is being ended now. */
    private final Set<String> ending = java.util.concurrent.ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor enders = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
            new ArrayBlockingQueue<>(ENDS_WAITING), r -> {
                Thread t = new Thread(r, "clean-room-end");
                t.setDaemon(true);
                return t;
            });
    static final int ENDS_WAITING = 16;

    public RecoveryService(ActionService actions, TargetService targets, Connector connector,
                           java.util.function.Supplier<safeguard.settings.Settings> settings) {
        this.actions = actions;
        this.targets = targets;
        this.connector = connector;
        this.settings = settings;
        this.points = new RecoveryPoints(actions, targets, connector);
    }

    public Proposal propose(String actionId) {
        return points.propose(actionId);
    }

    // ---- starting a restore ----------------------------------------------------------------------------------

    public RecoveryPlan start(RecoveryRequest r, String user) {
        if (r == null) {
            throw new InvalidInputException("body", "a JSON recovery is required");
        }
        Proposal p = propose(r.action());
        Target t = targets.target(p.target());
        boolean dry = Boolean.TRUE.equals(r.dryRun());
        Map<String, String> plan;
        List<String> calls;
        List<String> warnings = new ArrayList<>();
        switch (t.kind()) {
            case Target.SCALE -> {
                onlyFor(r.backupId(), "backupId", "CSM");
                ScaleCopies.Plan sp = scalePlan(r, p, t, warnings);
                plan = RestorePlans.of(sp);
                calls = ScaleCopies.calls(t.baseUrl(), sp);
            }
            case Target.CSM -> {
                notForScale(r);
                String id = r.backupId() != null ? r.backupId() : p.proposed() == null ? null : p.proposed().id();
                Candidate b = chosen("backupId", id, p, "no backup " + id + " in session " + p.session());
                plan = new LinkedHashMap<>();
                plan.put("session", p.session());
                plan.put("backupId", b.id());
                plan.put("backupTime", b.takenAt());
                calls = CsmClient.recoverCalls(t.baseUrl(), p.session(), b.id());
                if (!b.beforeIncident()) {
                    warnings.add("backup " + b.id() + " was taken after the first suspicious event (" + p.firstEventAt() + ")");
                }
            }
            default -> {
                notForScale(r);
                onlyFor(r.backupId(), "backupId", "CSM");
                plan = new LinkedHashMap<>();
                plan.put("job", p.job());
                calls = CdmClient.cleanRoomCalls(t.baseUrl(), p.job());
            }
        }
        plan.put("recoveryOf", p.incident());
        plan.put("firstEventAt", p.firstEventAt());
        plan.put("requestedBy", user == null ? "unknown" : user);
        if (dry) {
            return new RecoveryPlan(null, "dry-run", true, p.restoreType(), t.name(), p.incident(), plan, calls, warnings);
        }
        if (t.dryRun() || settings.get().dryRunAll()) {
            // Dry run means the app calls no storage system for the target; a restore is no exception.
            throw new ConflictException("dryRun", (t.dryRun() ? "target " + t.name() + " is" : "the app is")
                    + " set to dry run: no storage system is called. Show the plan (dryRun: true), or turn dry run off to restore");
        }
        if (!t.name().equals(r.confirm())) {
            throw new InvalidInputException("confirm", "type the target's name (" + t.name() + ") to confirm the restore");
        }
        ActionAnswer a = actions.startRecovery(p.restoreType(), t.name(), plan, p.incident());
        return new RecoveryPlan(a.id(), a.status(), false, p.restoreType(), t.name(), p.incident(), plan, calls, warnings);
    }

    private static void onlyFor(Object value, String field, String kind) {
        if (value != null) {
            throw new InvalidInputException(field, field + " applies to " + kind + " targets only");
        }
    }

    private static void notForScale(RecoveryRequest r) {
        onlyFor(r.snapshot(), "snapshot", "Storage Scale");
        onlyFor(r.paths(), "paths", "Storage Scale");
        onlyFor(r.destination(), "destination", "Storage Scale");
        onlyFor(r.overwrite(), "overwrite", "Storage Scale");
    }

    private static Candidate chosen(String field, String id, Proposal p, String unknown) {
        if (id == null) {
            throw new InvalidInputException(field, p.why() + "; give " + field + " to choose one");
        }
        Candidate c = p.candidates().stream().filter(x -> x.id().equals(id)).findFirst().orElse(null);
        if (c == null) {
            throw new InvalidInputException(field, unknown);
        }
        if (!c.verified()) {
            throw new InvalidInputException(field, field + " " + id + " cannot be restored from: " + c.why());
        }
        return c;
    }

    private ScaleCopies.Plan scalePlan(RecoveryRequest r, Proposal p, Target t, List<String> warnings) {
        String name = r.snapshot() != null ? r.snapshot() : p.proposed() == null ? null : p.proposed().id();
        String where = p.fileset() == null ? "file system " + p.fileSystem() : "fileset " + p.fileset();
        Candidate snap = chosen("snapshot", name, p, "no snapshot '" + name + "' in " + where);
        if (!snap.beforeIncident()) {
            warnings.add("snapshot " + snap.id() + " was taken after the first suspicious event (" + p.firstEventAt()
                    + "): it may hold damaged files");
        }
        List<String> given = r.paths() != null ? r.paths() : p.paths();
        if (given == null || given.isEmpty()) {
            throw new InvalidInputException("paths", "no paths: the incident's events named none inside " + p.root()
                    + "; give the folders or files to restore");
        }
        List<String> paths = ScalePaths.checked(given, p.root(), where);
        boolean overwrite = Boolean.TRUE.equals(r.overwrite());
        String dest = null;
        if (r.destination() != null) {
            if (paths.size() != 1) {
                throw new InvalidInputException("destination", "a destination can be given for one path only; "
                        + "with several, each is restored beside its original");
            }
            dest = ScalePaths.plain("destination", r.destination());
        }
        // Where the file system is mounted and the fileset linked, as the proposal just read them.
        ScaleCopies.Layout layout = new ScaleCopies.Layout(p.mountPoint(), p.root());
        List<ScaleCopies.Copy> copies = new ArrayList<>();
        try (Connector.Session s = connector.open(t.name())) {
            ScaleCopies client = connector.scaleCopies(s);
            if (dest != null && !ScalePaths.inside(layout.mountPoint(), dest)) {
                throw new InvalidInputException("destination", "destination " + dest + " is not inside file system "
                        + p.fileSystem() + " (" + layout.mountPoint() + ")");
            }
            Set<String> targetsSeen = new LinkedHashSet<>();
            for (int i = 0; i < paths.size(); i++) {
                String source = paths.get(i);
                String target = dest != null ? dest : overwrite ? source : source + ".restored-" + snap.id();
                String field = dest != null ? "destination" : "paths[" + i + "]";
                if (!target.equals(source) && ScalePaths.inside(source, target)) {
                    throw new InvalidInputException(field, "the copy of " + source + " cannot go inside itself (" + target + ")");
                }
                if (!targetsSeen.add(target)) {
                    throw new InvalidInputException(field, "two paths would be copied to " + target);
                }
                // Unfinished actions are all in memory (only ended ones leave it): a copy running now is seen here.
                for (var running : actions.unfinished("scale-restore", t.name()).entrySet()) {
                    for (var e : running.getValue().entrySet()) {
                        if (e.getKey().endsWith(".target") && (ScalePaths.inside(e.getValue(), target)
                                || ScalePaths.inside(target, e.getValue()))) {
                            throw new ConflictException(field, "recovery " + running.getKey() + " is copying to "
                                    + e.getValue() + " now; wait for it to end");
                        }
                    }
                }
                // Never over live data unless asked: the target must not exist yet.
                if (!overwrite && client.exists(p.fileSystem(), layout, target)) {
                    throw new InvalidInputException(field, target + " already exists; choose another destination, or "
                            + "tick overwrite to copy over it");
                }
                copies.add(new ScaleCopies.Copy(source, target));
            }
        }
        if (overwrite) {
            warnings.add("overwrite: the copy writes over what is at " + copies.stream().map(ScaleCopies.Copy::target)
                    .toList() + " now");
        }
        return new ScaleCopies.Plan(p.fileSystem(), p.fileset(), snap.id(), layout, copies, overwrite);
    }

    // ---- after a restore -------------------------------------------------------------------------------------

    /** The recoveries started from the incident of {@code actionId}, newest last, each as it stands now. */
    public List<Object> list(String actionId) {
        List<Object> out = new ArrayList<>();
        for (String id : points.incident(actionId).recoveries()) {
            out.add(actions.standing(id));
        }
        return out;
    }

    /**
     * Ends a CDM clean-room restore left mounted (RESOURCE ACTIVE) once it has been inspected. Checked and journaled
     * ("clean-room-ending", with the admin who asked) before it is answered; CDM is then called off the request
     * thread (its login, retries and timeouts can take minutes) and the outcome journaled ("clean-room-ended") on
     * the recovery's timeline. One end per recovery runs at a time.
     */
    public Map<String, String> endCleanRoom(String recoveryId, String confirm, String user) {
        ActionDetail d;
        try {
            d = actions.detail(recoveryId);
        } catch (NotFoundException e) {
            throw new NotFoundException("no recovery " + recoveryId);
        }
        ActionSummary s = d.action();
        if (!"cdm-cleanroom".equals(s.type())) {
            throw new InvalidInputException("id", recoveryId + " is not a CDM clean-room restore");
        }
        Map<String, String> result = s.result() == null ? Map.of() : s.result();
        if (!"RESOURCE ACTIVE".equals(result.get("status")) || result.get("runId") == null) {
            throw new ConflictException("id", "the clean-room restore is not active (status " + s.status()
                    + (result.containsKey("status") ? ", run " + result.get("status") : "") + ")");
        }
        for (ActionDetail.Step step : d.timeline()) {
            if (step.event().equals("clean-room-ended") && step.data().path("ended").asBoolean()) {
                throw new ConflictException("id", "the clean-room restore was ended already at " + step.time());
            }
        }
        if (!s.target().equals(confirm)) {
            throw new InvalidInputException("confirm", "type the target's name (" + s.target() + ") to confirm");
        }
        if (!ending.add(recoveryId)) {
            throw new ConflictException("id", "the clean-room restore is being ended now; its timeline shows the outcome");
        }
        String runId = result.get("runId");
        try {
            String job = actions.plan(recoveryId).get("job");
            ObjectNode asking = Json.mapper().createObjectNode().put("runId", runId).put("by", user);
            actions.note(recoveryId, "clean-room-ending", asking);
            enders.execute(() -> end(recoveryId, s.target(), job, runId, user));
        } catch (RejectedExecutionException full) {
            ending.remove(recoveryId);
            throw new safeguard.UnavailableException("other clean-room restores are being ended; try again shortly", 5);
        } catch (RuntimeException e) {
            ending.remove(recoveryId);
            throw e;
        }
        Map<String, String> out = new LinkedHashMap<>();
        out.put("id", recoveryId);
        out.put("state", "ending");
        out.put("runId", runId);
        return out;
    }

    private void end(String recoveryId, String target, String job, String runId, String user) {
        ObjectNode data = Json.mapper().createObjectNode();
        try {
            Protection p;
            try (Connector.Session session = connector.open(target)) {
                p = connector.cdm(session).endCleanRoom(job, runId);
            }
            boolean ended = p.verdict() == safeguard.http.Verdict.PROTECTED;
            if (!ended && enders.isShutdown()) {
                return; // stopping is not an outcome: the timeline keeps "ending", and the end may be asked again
            }
            data.put("ended", ended).put("by", user);
            data.set("result", Json.mapper().valueToTree(p.details()));
            if (p.error() != null) {
                data.put("error", p.error());
            }
        } catch (RuntimeException e) {
            if (enders.isShutdown()) {
                return;
            }
            // The target was deleted or changed meanwhile, or the call broke: the timeline says so; it may be ended again.
            data.put("ended", false).put("by", user).put("error", String.valueOf(e.getMessage()));
        } finally {
            if (data.isEmpty()) {
                ending.remove(recoveryId);
            }
        }
        try {
            actions.note(recoveryId, "clean-room-ended", data);
        } catch (RuntimeException e) {
            LOG.warn("the end of recovery {}'s clean room could not be journaled: {}", recoveryId, e.toString());
        } finally {
            ending.remove(recoveryId);
        }
    }

    /** Stops ending clean rooms (at shutdown): an end interrupted is left "ending" on the timeline, to be asked again. */
    public void close() {
        enders.shutdownNow();
    }
}
