package safeguard.actions;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.InvalidInputException;
import safeguard.NotFoundException;
import safeguard.settings.Settings;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * What a rule's request asks for, checked against its target (type, allowed filesets / sessions / jobs, context
 * limits), and the plan fixed at acceptance, so a resumed action does exactly the same (same snapshot name).
 */
final class ActionPlans {
    static final Map<String, String> KINDS = Map.of("scale-snapshot", Target.SCALE, "csm-backup", Target.CSM,
            "cdm-restore", Target.CDM);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /**
     * Context limits: a path as long as Linux allows (PATH_MAX), a file name as long as one path component
     * (NAME_MAX), QRadar's rule-name length; they bound what one action costs in memory and on disk.
     */
    static final int MAX_PATH = 4096;
    static final int MAX_FILENAME = 255;
    static final int MAX_RULE = 255;
    static final int MAX_USER = 255;
    static final int MAX_EVENT_TIME = 64;

    private final TargetService targets;
    private final ScaleLayouts layouts;

    ActionPlans(TargetService targets, ScaleLayouts layouts) {
        this.targets = targets;
        this.layouts = layouts;
    }

    /**
     * A request checked and placed: {@code placement} says how the scope was chosen ("path → fileset, why");
     * {@code refusal}, when set, why nothing will be asked of the storage system (the answer is "refused").
     */
    record Validated(String type, Target target, String scope, ActionContext context, String idempotencyKey,
            String fileset, String session, String task, String job, String placement, String refusal,
            boolean unreachable) {
        Validated(String type, Target target, String scope, ActionContext context, String idempotencyKey,
                  String fileset, String session, String task, String job) {
            this(type, target, scope, context, idempotencyKey, fileset, session, task, job, null, null, false);
        }
    }

    /** {@code dryRunAll}: the app rehearses, so no storage system may be called, not even to place a path. */
    Validated validate(ActionRequest req, boolean dryRunAll) {
        if (req == null) {
            throw new InvalidInputException("body", "a JSON action is required");
        }
        String kind = req.type() == null ? null : KINDS.get(req.type());
        if (kind == null) {
            throw new InvalidInputException("type", "type must be one of scale-snapshot, csm-backup, cdm-restore");
        }
        if (req.target() == null || req.target().isBlank()) {
            throw new InvalidInputException("target", "target is required");
        }
        Target t;
        try {
            t = targets.target(req.target());
        } catch (NotFoundException e) {
            throw new InvalidInputException("target", "no target named '" + req.target() + "'");
        }
        if (!t.kind().equals(kind)) {
            throw new InvalidInputException("type", req.type() + " needs a " + kind + " target; '" + t.name() + "' is " + t.kind());
        }
        ActionContext c = req.context() == null ? new ActionContext(null, null, null, null, null, null) : req.context();
        text("context.rule", c.rule(), MAX_RULE);
        text("context.user", c.user(), MAX_USER);
        text("context.path", c.path(), MAX_PATH);
        text("context.filename", c.filename(), MAX_FILENAME);
        text("context.eventTime", c.eventTime(), MAX_EVENT_TIME);
        if (c.offenseId() != null && !c.offenseId().matches("\\d{1,18}")) {
            throw new InvalidInputException("context.offenseId", "context.offenseId must be a QRadar offense number");
        }
        String key = req.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new InvalidInputException("idempotencyKey", "idempotencyKey must be 1-200 characters");
        }
        return switch (kind) {
            case Target.SCALE -> {
                if (req.fileset() != null && !t.scale().filesets().contains(req.fileset())) {
                    throw new InvalidInputException("fileset", "fileset '" + req.fileset() + "' is not allowed for target " + t.name());
                }
                if (req.fileset() == null && c.path() != null && !c.path().isBlank()) {
                    Placement p = layouts.place(t, c.path(), !(dryRunAll || t.dryRun()));
                    yield new Validated(req.type(), t, p.scope(), c, key, p.fileset(), null, null, null, p.why(), p.refusal(),
                            p.unreachable());
                }
                String f = req.fileset() == null ? t.scale().defaultFileset() : req.fileset();
                String why = req.fileset() != null ? "fileset " + f + ", as the request asked"
                        : "no path in the event → " + (f == null ? "a file-system snapshot" : "fileset " + f)
                        + ", the target's default";
                yield new Validated(req.type(), t, f == null ? "global" : f, c, key, f, null, null, null, why, null, false);
            }
            case Target.CSM -> {
                String s = req.session() == null ? t.csm().session() : req.session();
                if (req.session() != null && !req.session().equals(t.csm().session())
                        && !t.csm().allowedSessions().contains(req.session())) {
                    throw new InvalidInputException("session", "session '" + req.session() + "' is not allowed for target " + t.name());
                }
                String task = req.session() == null ? t.csm().scheduledTask() : null;
                yield new Validated(req.type(), t, s != null && task == null ? s : "task:" + task, c, key, null, s, task, null);
            }
            default -> {
                String j = req.job() == null ? t.cdm().jobName() : req.job();
                if (req.job() != null && !req.job().equals(t.cdm().jobName()) && !t.cdm().allowedJobs().contains(req.job())) {
                    throw new InvalidInputException("job", "job '" + req.job() + "' is not allowed for target " + t.name());
                }
                yield new Validated(req.type(), t, j, c, key, null, null, null, j);
            }
        };
    }

    private static void text(String field, String value, int max) {
        if (value != null && (value.length() > max || value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t'))) {
            throw new InvalidInputException(field, field + " must be at most " + max + " characters, without control characters");
        }
    }

    static Duration window(Target t, Settings policy) {
        Integer own = Target.SCALE.equals(t.kind()) ? t.scale().minIntervalSeconds() : null;
        return Duration.ofSeconds(own != null ? own : policy.coalesceWindowSeconds());
    }

    static String newId(Instant now) {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        return "a-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(r);
    }

    /** What the action will do, fixed at acceptance so a resumed action does exactly the same (same snapshot name). */
    static Map<String, String> plan(Validated v, String id, Instant now) {
        Map<String, String> p = new LinkedHashMap<>();
        Target t = v.target;
        switch (t.kind()) {
            case Target.SCALE -> {
                p.put("fileSystem", t.scale().fileSystem());
                if (v.fileset != null) {
                    p.put("fileset", v.fileset);
                }
                if (v.placement != null) {
                    p.put("placement", v.placement);
                }
                p.put("snapshot", t.scale().snapshotPrefix() + "-" + v.scope + "-" + STAMP.format(now) + "-" + id.substring(id.length() - 4));
                p.put("expiresAt", now.plus(Duration.ofHours(t.scale().retentionHours())).toString());
                p.put("clusterTimeZone", t.scale().clusterTimeZone());
            }
            case Target.CSM -> {
                if (v.task != null) {
                    p.put("scheduledTask", v.task);
                } else {
                    p.put("session", v.session);
                    p.put("command", t.csm().command());
                }
            }
            default -> p.put("job", v.job);
        }
        return p;
    }

    static List<String> wouldCall(Target t, ActionState s) {
        String base = t.baseUrl();
        return switch (t.kind()) {
            case Target.SCALE -> List.of(
                    "GET " + base + "/scalemgmt/v2/filesystems/" + s.plan.get("fileSystem")
                            + (s.plan.containsKey("fileset") ? "/filesets/" + s.plan.get("fileset") : "") + "/snapshots",
                    "POST …/snapshots {snapshotName: " + s.plan.get("snapshot") + ", expirationTime: " + s.plan.get("expiresAt") + "}",
                    "GET " + base + "/scalemgmt/v2/jobs/{jobId} until COMPLETED",
                    "GET …/snapshots/" + s.plan.get("snapshot") + " (read back)");
            case Target.CSM -> s.plan.containsKey("scheduledTask")
                    ? List.of("POST " + base + "/CSM/web/system/v1/tokens", "GET " + base + "/CSM/web/sessions/scheduledtasks",
                            "POST " + base + "/CSM/web/sessions/scheduledtasks/{id} (" + s.plan.get("scheduledTask") + ")")
                    : List.of("POST " + base + "/CSM/web/system/v1/tokens",
                            "GET " + base + "/CSM/web/sessions/" + s.plan.get("session") + "/availablecommands",
                            "POST " + base + "/CSM/web/sessions/" + s.plan.get("session") + " cmd=" + s.plan.get("command"),
                            "GET " + base + "/CSM/web/sessions/" + s.plan.get("session") + " (confirm the new backup)");
            default -> List.of("POST " + base + "/api/endeavour/session", "GET " + base + "/api/endeavour/job",
                    "POST " + base + "/api/endeavour/job/{id}?action=start&actionname=start (" + s.plan.get("job") + ")",
                    "GET " + base + "/api/endeavour/job/{id} until COMPLETED / FAILED / RESOURCE ACTIVE",
                    "DELETE " + base + "/api/endeavour/session");
        };
    }
}
