package safeguard.recover;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
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
import safeguard.scale.ScaleClient;
import safeguard.scale.ScaleCopies;
import safeguard.scale.Snapshot;
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
    private final ActionService actions;
    private final TargetService targets;
    private final Connector connector;
    private final java.util.function.Supplier<safeguard.settings.Settings> settings;

    public RecoveryService(ActionService actions, TargetService targets, Connector connector,
                           java.util.function.Supplier<safeguard.settings.Settings> settings) {
        this.actions = actions;
        this.targets = targets;
        this.connector = connector;
        this.settings = settings;
    }

    private static final Map<String, String> RESTORE_TYPES = Map.of(Target.SCALE, "scale-restore", Target.CSM,
            "csm-recover", Target.CDM, "cdm-cleanroom");
    private static final Set<String> RECOVERY_TYPES = Set.copyOf(RESTORE_TYPES.values());

    // ---- the recovery point ----------------------------------------------------------------------------------

    private record FirstEvent(Instant at, String from) {
    }

    private record Context(ActionService.Incident incident, Target target, FirstEvent first) {
    }

    private Context context(String actionId) {
        if (actionId == null || actionId.isBlank()) {
            throw new InvalidInputException("action", "action is required: the id of an action of the incident");
        }
        ActionService.Incident inc;
        try {
            inc = actions.incident(actionId);
        } catch (NotFoundException e) {
            throw new InvalidInputException("action", "no action " + actionId);
        }
        ActionSummary a = inc.action();
        if (RECOVERY_TYPES.contains(a.type())) {
            throw new InvalidInputException("action", actionId + " is a recovery; start from the action of the incident ("
                    + inc.plan().getOrDefault("recoveryOf", "see its plan") + ")");
        }
        Target t;
        try {
            t = targets.target(a.target());
        } catch (NotFoundException e) {
            throw new InvalidInputException("action", "the incident's target '" + a.target() + "' no longer exists");
        }
        return new Context(inc, t, firstEvent(inc.members()));
    }

    /** The earliest event time the rule firings of the incident carry, or the first request's arrival. */
    private static FirstEvent firstEvent(List<ActionSummary> members) {
        Instant best = null;
        String from = null;
        Instant arrived = null;
        String arrivedId = null;
        for (ActionSummary m : members) {
            Instant at = EventTimes.parse(m.context() == null ? null : m.context().eventTime());
            if (at != null && (best == null || at.isBefore(best))) {
                best = at;
                from = "the event time the rule sent with action " + m.id();
            }
            Instant acc = Instant.parse(m.acceptedAt());
            if (arrived == null || acc.isBefore(arrived)) {
                arrived = acc;
                arrivedId = m.id();
            }
        }
        if (best != null) {
            return new FirstEvent(best, from + (members.size() > 1 ? " (earliest of " + members.size() + " events)" : ""));
        }
        return new FirstEvent(arrived, "the time action " + arrivedId + " arrived: the rule sent no event time");
    }

    public Proposal propose(String actionId) {
        Context c = context(actionId);
        ActionService.Incident inc = c.incident;
        Target t = c.target;
        String restoreType = RESTORE_TYPES.get(t.kind());
        int events = inc.members().size();
        String first = c.first.at.toString();
        switch (t.kind()) {
            case Target.SCALE -> {
                String fs = inc.plan().getOrDefault("fileSystem", t.scale().fileSystem());
                String fileset = inc.plan().containsKey("fileSystem") ? inc.plan().get("fileset") : t.scale().defaultFileset();
                List<Snapshot> snaps;
                ScaleCopies.Layout layout;
                try (Connector.Session s = connector.open(t.name())) {
                    snaps = connector.scale(s).list(fs, fileset);
                    layout = connector.scaleCopies(s).layout(fs, fileset);
                }
                ZoneId zone = ZoneId.of(t.scale().clusterTimeZone());
                List<Candidate> all = new ArrayList<>();
                for (Snapshot sn : snaps) {
                    Taken taken = sn.created() == null ? null : Taken.scale(sn.created(), zone);
                    Instant expires = sn.expirationTime() == null ? null : ScaleClient.parseExpiration(sn.expirationTime(), zone);
                    boolean valid = sn.status() == null || sn.status().equalsIgnoreCase("valid");
                    String why = !valid ? "Scale shows it " + sn.status() + ": not usable"
                            : taken == null ? "Scale shows no readable creation time (" + sn.created() + ")" : null;
                    all.add(candidate(sn.name(), taken, valid && taken != null, c.first.at,
                            expires == null ? null : expires.toString(), why));
                }
                Pick pick = pick(all, c.first);
                return new Proposal(actionId, inc.action().id(), t.name(), t.kind(), restoreType, events, first,
                        c.first.from, pick.proposed, pick.why, pick.candidates, defaultPaths(inc.members(), layout.root()),
                        fs, fileset, layout.root(), null, null, inc.recoveries());
            }
            case Target.CSM -> {
                String session = session(inc, t);
                List<CsmClient.Backup> backups;
                try (Connector.Session s = connector.open(t.name())) {
                    backups = connector.csm(s).backups(session);
                }
                List<Candidate> all = new ArrayList<>();
                for (CsmClient.Backup b : backups) {
                    Taken taken = b.time() == null ? null : new Taken(Instant.ofEpochMilli(b.time()), true);
                    boolean valid = !Boolean.FALSE.equals(b.valid());
                    String why = !valid ? "CSM shows the backup not valid" : taken == null ? "CSM shows no backup time" : null;
                    all.add(candidate(b.id(), taken, valid && taken != null, c.first.at, null, why));
                }
                Pick pick = pick(all, c.first);
                return new Proposal(actionId, inc.action().id(), t.name(), t.kind(), restoreType, events, first,
                        c.first.from, pick.proposed, pick.why, pick.candidates, null, null, null, null, session, null,
                        inc.recoveries());
            }
            default -> {
                String job = inc.plan().getOrDefault("job", t.cdm().jobName());
                return new Proposal(actionId, inc.action().id(), t.name(), t.kind(), restoreType, events, first,
                        c.first.from, null, "CDM's clean-room job '" + job + "' restores the copy its policy names "
                        + "into the clean room; end it here once the restore has been inspected", List.of(), null, null,
                        null, null, null, job, inc.recoveries());
            }
        }
    }

    private static String session(ActionService.Incident inc, Target t) {
        String s = inc.plan().getOrDefault("session", t.csm().session());
        if (s == null) {
            throw new InvalidInputException("action", "target " + t.name() + " runs a scheduled task and names no "
                    + "Safeguarded Copy session to recover from; add the session to the target");
        }
        return s;
    }

    /** When a copy was taken, and whether the storage system said so to the millisecond. */
    record Taken(Instant at, boolean millis) {
        /** Scale's "created" in the cluster's time ("2026-11-24 10:15:03,120"; releases differ: digits are read). */
        static Taken scale(String created, ZoneId zone) {
            Instant at = ScaleClient.parseExpiration(created, zone);
            if (at == null) {
                return null;
            }
            String d = created.replaceAll("\\D", "");
            boolean ms = d.length() >= 17;
            return new Taken(ms ? at.plusMillis(Integer.parseInt(d.substring(14, 17))) : at, ms);
        }

        /**
         * Strictly before the event; a time shown to the second only counts when its whole second is: a copy from
         * the event's own second may already hold what the event changed.
         */
        boolean before(Instant event) {
            return millis ? at.isBefore(event) : !at.plusSeconds(1).isAfter(event);
        }
    }

    private static Candidate candidate(String id, Taken taken, boolean verified, Instant first, String expires,
                                       String why) {
        boolean before = taken != null && taken.before(first);
        String reason = why != null ? why : before ? null
                : "taken after the first suspicious event: it may already hold damaged files";
        return new Candidate(id, taken == null ? null : taken.at().toString(), verified, before, expires, reason);
    }

    private record Pick(Candidate proposed, String why, List<Candidate> candidates) {
    }

    /** Newest first; the proposed one is the newest verified copy taken before the first event. */
    private static Pick pick(List<Candidate> all, FirstEvent first) {
        List<Candidate> sorted = new ArrayList<>(all);
        sorted.sort((a, b) -> b.takenAt() == null ? -1 : a.takenAt() == null ? 1
                : Instant.parse(b.takenAt()).compareTo(Instant.parse(a.takenAt())));
        Candidate chosen = sorted.stream().filter(x -> x.verified() && x.beforeIncident()).findFirst().orElse(null);
        List<Candidate> out = new ArrayList<>();
        for (Candidate x : sorted) {
            String why = x.why();
            if (x == chosen) {
                why = "the newest verified copy taken before the first suspicious event";
            } else if (why == null && chosen != null) {
                why = "older than the proposed copy";
            }
            out.add(new Candidate(x.id(), x.takenAt(), x.verified(), x.beforeIncident(), x.expiresAt(), why));
        }
        Candidate proposed = chosen == null ? null : out.get(sorted.indexOf(chosen));
        long after = sorted.stream().filter(x -> !x.beforeIncident() && x.takenAt() != null).count();
        String why = chosen != null
                ? chosen.id() + " is the newest copy the storage system shows valid that was taken before the first "
                  + "suspicious event at " + first.at() + " (" + first.from() + ")"
                  + (after > 0 ? "; " + after + " newer cop" + (after == 1 ? "y was" : "ies were")
                  + " taken after it and may hold damaged files" : "")
                : sorted.isEmpty() ? "the storage system holds no copies here"
                : "no verified copy was taken before the first suspicious event at " + first.at() + " (" + first.from()
                  + "); name one explicitly only if you know it is clean";
        return new Pick(proposed, why, out);
    }

    /** The live paths the incident's events named, inside the snapshot's root, each once. */
    private static List<String> defaultPaths(List<ActionSummary> members, String root) {
        Set<String> out = new LinkedHashSet<>();
        for (ActionSummary m : members) {
            String p = m.context() == null ? null : m.context().path();
            if (p == null) {
                continue;
            }
            try {
                String plain = ScalePaths.plain("path", p);
                if (ScalePaths.inside(root, plain)) {
                    out.add(plain);
                }
            } catch (InvalidInputException ignored) {
                // a path the event spelled oddly is not proposed; the admin can still name it
            }
        }
        // A folder and a file in it: the folder covers the file.
        List<String> kept = new ArrayList<>();
        for (String p : out) {
            if (out.stream().noneMatch(q -> !q.equals(p) && ScalePaths.inside(q, p))) {
                kept.add(p);
            }
        }
        return kept;
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
        ScaleCopies.Layout layout;
        List<ScaleCopies.Copy> copies = new ArrayList<>();
        try (Connector.Session s = connector.open(t.name())) {
            ScaleCopies client = connector.scaleCopies(s);
            layout = client.layout(p.fileSystem(), p.fileset());
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
        Context c = context(actionId);
        List<Object> out = new ArrayList<>();
        for (String id : c.incident.recoveries()) {
            out.add(actions.standing(id));
        }
        return out;
    }

    /**
     * Ends a CDM clean-room restore left mounted (RESOURCE ACTIVE) once it has been inspected: journaled on the
     * recovery's timeline before and after the call, with the admin who asked.
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
        String job = actions.plan(recoveryId).get("job");
        ObjectNode asking = Json.mapper().createObjectNode().put("runId", result.get("runId")).put("by", user);
        actions.note(recoveryId, "clean-room-ending", asking);
        Protection p;
        try (Connector.Session session = connector.open(s.target())) {
            p = connector.cdm(session).endCleanRoom(job, result.get("runId"));
        }
        boolean ended = p.verdict() == safeguard.http.Verdict.PROTECTED;
        ObjectNode data = Json.mapper().createObjectNode().put("ended", ended).put("by", user);
        data.set("result", Json.mapper().valueToTree(p.details()));
        if (p.error() != null) {
            data.put("error", p.error());
        }
        actions.note(recoveryId, "clean-room-ended", data);
        Map<String, String> out = new LinkedHashMap<>(p.details());
        out.put("ended", Boolean.toString(ended));
        if (p.error() != null) {
            out.put("error", p.error());
        }
        return out;
    }
}
