package safeguard.recover;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.actions.ActionService;
import safeguard.actions.ActionSummary;
import safeguard.csm.CsmClient;
import safeguard.scale.ScaleClient;
import safeguard.scale.ScaleCopies;
import safeguard.scale.Snapshot;
import safeguard.targets.Connector;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * The recovery point of an incident (an action and the burst coalesced into it): the newest copy the storage
 * system shows valid that was taken before the incident's first suspicious event, the other candidates, and why.
 */
final class RecoveryPoints {
    private final ActionService actions;
    private final TargetService targets;
    private final Connector connector;

    RecoveryPoints(ActionService actions, TargetService targets, Connector connector) {
        this.actions = actions;
        this.targets = targets;
        this.connector = connector;
    }

    private static final Map<String, String> RESTORE_TYPES = Map.of(Target.SCALE, "scale-restore", Target.CSM,
            "csm-recover", Target.CDM, "cdm-cleanroom");

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
        if (ActionService.RECOVERY_TYPES.contains(a.type())) {
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

    /** The incident of {@code actionId}, checked as a proposal checks it (400 naming {@code action}). */
    ActionService.Incident incident(String actionId) {
        return context(actionId).incident;
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

    Proposal propose(String actionId) {
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
                        fs, fileset, layout.mountPoint(), layout.root(), null, null, inc.recoveries());
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
                        c.first.from, pick.proposed, pick.why, pick.candidates, null, null, null, null, null, session, null,
                        inc.recoveries());
            }
            default -> {
                String job = inc.plan().getOrDefault("job", t.cdm().jobName());
                return new Proposal(actionId, inc.action().id(), t.name(), t.kind(), restoreType, events, first,
                        c.first.from, null, "CDM's clean-room job '" + job + "' restores the copy its policy names "
                        + "into the clean room; end it here once the restore has been inspected", List.of(), null, null,
                        null, null, null, null, job, inc.recoveries());
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
}
