package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.NotFoundException;
import safeguard.http.CallRecord;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.journal.ChainReport;
import safeguard.journal.Journal;
import safeguard.journal.JournalRecord;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.targets.Connector;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * Turns rule firings into storage work. Every request is journaled (durably) before it is answered; a burst for
 * the same target and scope inside the target's interval is coalesced into one action; the same idempotency key
 * gets the same answer; each target runs one job at a time from a bounded queue; dry-run targets are never
 * called. After a crash, actions without an outcome are resumed or marked interrupted.
 */
public final class ActionService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);
    static final Map<String, String> KINDS = Map.of("scale-snapshot", Target.SCALE, "csm-backup", Target.CSM,
            "cdm-restore", Target.CDM);
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    private static final int MAX_TEXT = 4096;

    private final Journal journal;
    private final TargetService targets;
    private final Connector connector;
    private final QradarClient qradar;
    private final Clock clock;
    private final int queueCapacity;
    private final Supplier<Settings> settings;

    private final Object lock = new Object();
    private final Map<String, ActionState> actions = new LinkedHashMap<>();
    private final Map<String, CompletableFuture<ActionAnswer>> answers = new HashMap<>();
    private final Map<String, ActionState> windows = new HashMap<>();
    private final Map<String, ThreadPoolExecutor> runners = new HashMap<>();
    static final Duration VERIFY_REUSE = Duration.ofMinutes(1);
    private final Object verifyLock = new Object();
    private ChainReport lastVerify;
    private Instant lastVerifyAt;

    public ActionService(Journal journal, TargetService targets, Connector connector, QradarClient qradar, Clock clock,
                         int queueCapacity) {
        this(journal, targets, connector, qradar, clock, queueCapacity, () -> Settings.DEFAULTS);
    }

    /** {@code settings} is read on every trigger: a change in the Settings page applies to the next one. */
    public ActionService(Journal journal, TargetService targets, Connector connector, QradarClient qradar, Clock clock,
                         int queueCapacity, Supplier<Settings> settings) {
        this.settings = settings;
        this.journal = journal;
        this.targets = targets;
        this.connector = connector;
        this.qradar = qradar;
        this.clock = clock;
        this.queueCapacity = queueCapacity;
    }

    // ---- accepting -------------------------------------------------------------------------------------------

    /** Decides, journals durably, answers. Storage work runs later, in the target's queue. */
    public ActionAnswer submit(ActionRequest req) {
        Validated v = validate(req);
        CompletableFuture<ActionAnswer> mine = new CompletableFuture<>();
        CompletableFuture<ActionAnswer> earlier = null;
        ActionState state;
        ActionState covering = null;
        String refusal = null;
        synchronized (lock) {
            if (v.idempotencyKey != null) {
                earlier = answers.putIfAbsent(v.idempotencyKey, mine);
            }
            if (earlier == null) {
                Instant now = clock.instant();
                Settings policy = settings.get();
                boolean dry = v.target.dryRun() || policy.dryRunAll();
                String key = v.target.name() + "/" + v.scope;
                ActionState holder = windows.get(key);
                if (holder != null && now.isBefore(holder.acceptedAt.plus(window(v.target, policy))) && !holder.status.equals("refused")) {
                    covering = holder;
                    holder.coalesced++;
                    state = new ActionState(newId(now), req.type(), v.target.name(), v.scope, v.context, now, null,
                            dry, holder.id, "coalesced");
                } else {
                    if (!dry && runner(v.target.name()).getQueue().remainingCapacity() == 0) {
                        refusal = "target " + v.target.name() + " has " + queueCapacity + " actions waiting; try again later";
                    }
                    String id = newId(now);
                    state = new ActionState(id, req.type(), v.target.name(), v.scope, v.context, now,
                            refusal == null ? plan(v, id, now) : null, dry, null,
                            refusal != null ? "refused" : dry ? "dry-run" : "accepted");
                    if (refusal == null) {
                        windows.put(key, state);
                    }
                }
                actions.put(state.id, state);
            } else {
                state = null;
            }
        }
        if (earlier != null) {
            return await(earlier);
        }
        try {
            ActionAnswer answer = record(state, v, covering, refusal);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            mine.completeExceptionally(e);
            synchronized (lock) {
                answers.remove(v.idempotencyKey, mine);
                actions.remove(state.id);
            }
            throw e;
        }
    }

    private ActionAnswer record(ActionState s, Validated v, ActionState covering, String refusal) {
        ObjectNode data = base(s, v.idempotencyKey);
        if (covering != null) {
            data.put("into", covering.id);
            append(s, "coalesced", data);
            return new ActionAnswer(s.id, "coalesced", covering.id, null);
        }
        if (refusal != null) {
            data.put("reason", refusal);
            append(s, "refused", data);
            return new ActionAnswer(s.id, "refused", null, refusal);
        }
        data.set("plan", Json.mapper().valueToTree(s.plan));
        data.put("dryRun", s.dryRun);
        append(s, "accepted", data);
        if (s.dryRun) {
            ObjectNode would = Json.mapper().createObjectNode();
            would.set("wouldCall", Json.mapper().valueToTree(wouldCall(v.target, s)));
            append(s, "dry-run", would);
            finish(s, "dry-run", Map.of(), null);
            return new ActionAnswer(s.id, "dry-run", null, null);
        }
        try {
            runner(s.target).execute(() -> run(s));
        } catch (RejectedExecutionException full) {
            String why = "target " + s.target + " has " + queueCapacity + " actions waiting; try again later";
            append(s, "refused", Json.mapper().createObjectNode().put("reason", why));
            finish(s, "refused", Map.of(), why);
            return new ActionAnswer(s.id, "refused", null, why);
        }
        return new ActionAnswer(s.id, "accepted", null, null);
    }

    private static ActionAnswer await(CompletableFuture<ActionAnswer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private record Validated(Target target, String scope, ActionContext context, String idempotencyKey,
                             String fileset, String session, String task, String job) {
    }

    private Validated validate(ActionRequest req) {
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
        text("context.rule", c.rule());
        text("context.user", c.user());
        text("context.path", c.path());
        text("context.filename", c.filename());
        text("context.eventTime", c.eventTime());
        if (c.offenseId() != null && !c.offenseId().matches("\\d{1,18}")) {
            throw new InvalidInputException("context.offenseId", "context.offenseId must be a QRadar offense number");
        }
        String key = req.idempotencyKey();
        if (key != null && (key.isBlank() || key.length() > 200)) {
            throw new InvalidInputException("idempotencyKey", "idempotencyKey must be 1-200 characters");
        }
        return switch (kind) {
            case Target.SCALE -> {
                String f = req.fileset() == null ? t.scale().defaultFileset() : req.fileset();
                if (req.fileset() != null && !t.scale().filesets().contains(req.fileset())) {
                    throw new InvalidInputException("fileset", "fileset '" + req.fileset() + "' is not allowed for target " + t.name());
                }
                yield new Validated(t, f == null ? "global" : f, c, key, f, null, null, null);
            }
            case Target.CSM -> {
                String s = req.session() == null ? t.csm().session() : req.session();
                if (req.session() != null && !req.session().equals(t.csm().session())
                        && !t.csm().allowedSessions().contains(req.session())) {
                    throw new InvalidInputException("session", "session '" + req.session() + "' is not allowed for target " + t.name());
                }
                String task = req.session() == null ? t.csm().scheduledTask() : null;
                yield new Validated(t, s != null && task == null ? s : "task:" + task, c, key, null, s, task, null);
            }
            default -> {
                String j = req.job() == null ? t.cdm().jobName() : req.job();
                if (req.job() != null && !req.job().equals(t.cdm().jobName()) && !t.cdm().allowedJobs().contains(req.job())) {
                    throw new InvalidInputException("job", "job '" + req.job() + "' is not allowed for target " + t.name());
                }
                yield new Validated(t, j, c, key, null, null, null, j);
            }
        };
    }

    private static void text(String field, String value) {
        if (value != null && (value.length() > MAX_TEXT || value.chars().anyMatch(ch -> ch < 0x20 && ch != '\t'))) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_TEXT + " characters, without control characters");
        }
    }

    private static Duration window(Target t, Settings policy) {
        Integer own = Target.SCALE.equals(t.kind()) ? t.scale().minIntervalSeconds() : null;
        return Duration.ofSeconds(own != null ? own : policy.coalesceWindowSeconds());
    }

    private static String newId(Instant now) {
        byte[] r = new byte[4];
        RANDOM.nextBytes(r);
        return "a-" + STAMP.format(now) + "-" + HexFormat.of().formatHex(r);
    }

    /** What the action will do, fixed at acceptance so a resumed action does exactly the same (same snapshot name). */
    private static Map<String, String> plan(Validated v, String id, Instant now) {
        Map<String, String> p = new LinkedHashMap<>();
        Target t = v.target;
        switch (t.kind()) {
            case Target.SCALE -> {
                p.put("fileSystem", t.scale().fileSystem());
                if (v.fileset != null) {
                    p.put("fileset", v.fileset);
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

    private static List<String> wouldCall(Target t, ActionState s) {
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

    private static ObjectNode base(ActionState s, String key) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("type", s.type).put("target", s.target).put("scope", s.scope);
        data.set("context", Json.mapper().valueToTree(s.context));
        if (key != null) {
            data.put("idempotencyKey", key);
        }
        return data;
    }

    // ---- running ---------------------------------------------------------------------------------------------

    private ThreadPoolExecutor runner(String target) {
        synchronized (lock) {
            return runners.computeIfAbsent(target, t -> {
                ThreadPoolExecutor e = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
                        new LinkedBlockingQueue<>(queueCapacity), r -> {
                            Thread th = new Thread(r, "target-" + t);
                            th.setDaemon(true);
                            return th;
                        });
                return e;
            });
        }
    }

    private void run(ActionState s) {
        try {
            execute(s);
        } catch (IllegalStateException e) {
            if (!journal.isClosed() && !Thread.currentThread().isInterrupted()) {
                throw e;
            }
            // Shutting down mid-action: the journal shows it unfinished, so the next start resumes it.
            LOG.info("action {} stopped by shutdown; it resumes at the next start", s.id);
        }
    }

    private void execute(ActionState s) {
        append(s, "started", Json.mapper().createObjectNode());
        synchronized (lock) {
            s.status = "running";
            s.started = true;
        }
        StepResult r;
        try (Connector.Session session = connector.open(s.target)) {
            r = switch (s.type) {
                case "scale-snapshot" -> connector.scale(session).createSnapshot(s.plan.get("fileSystem"),
                        s.plan.get("fileset"), s.plan.get("snapshot"), Instant.parse(s.plan.get("expiresAt")),
                        ZoneId.of(s.plan.get("clusterTimeZone")));
                case "csm-backup" -> s.plan.containsKey("scheduledTask")
                        ? connector.csm(session).runScheduledTask(s.plan.get("scheduledTask"))
                        : connector.csm(session).runSessionCommand(s.plan.get("session"), s.plan.get("command"));
                default -> connector.cdm(session).runJob(s.plan.get("job"));
            };
        } catch (RuntimeException e) {
            // A deleted target, an unreadable key: the action still ends with an outcome in the journal.
            r = new StepResult(false, false, Map.of(), e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage(), List.of());
        }
        for (CallRecord c : r.calls()) {
            append(s, "call", Json.mapper().valueToTree(c));
        }
        String outcome = !r.ok() ? "failed" : r.verified() ? "verified" : "completed";
        ObjectNode data = Json.mapper().createObjectNode();
        data.set("result", Json.mapper().valueToTree(r.details()));
        if (r.error() != null) {
            data.put("error", r.error());
        }
        append(s, outcome, data);
        finish(s, outcome, r.details(), r.error());
        annotateOffense(s);
        LOG.info("action {} {} on {}: {}", s.id, s.type, s.target, outcome);
    }

    private void annotateOffense(ActionState s) {
        String offense = s.context == null ? null : s.context.offenseId();
        if (offense == null || qradar == null) {
            return;
        }
        String note = "Safeguard Responder " + s.type + " on " + s.target + ": " + s.status
                + (s.result.isEmpty() ? "" : " " + s.result) + (s.error == null ? "" : " — " + s.error) + " (action " + s.id + ")";
        ObjectNode data = Json.mapper().createObjectNode().put("offenseId", offense);
        try {
            qradar.post("/siem/offenses/" + UrlPath.segment(offense) + "/notes", Map.of("note_text", note), null);
            data.put("ok", true);
        } catch (QradarException e) {
            data.put("ok", false).put("error", e.getMessage());
        }
        append(s, "offense-note", data);
    }

    private void finish(ActionState s, String status, Map<String, String> result, String error) {
        synchronized (lock) {
            s.status = status;
            s.finishedAt = clock.instant();
            s.result = result;
            s.error = error;
        }
    }

    private void append(ActionState s, String event, JsonNode data) {
        Journal.Written w = journal.append(s.id, event, data);
        synchronized (lock) {
            s.timeline.add(w.position());
        }
    }

    // ---- recovery --------------------------------------------------------------------------------------------

    /** Rebuilds state from the journal (reading only); call before serving. */
    public void load() {
        journal.replay(this::replayOne);
    }

    /** Resumes, or marks interrupted, every action the journal shows without an outcome. */
    public void resume() {
        List<ActionState> unfinished = new ArrayList<>();
        synchronized (lock) {
            for (ActionState s : actions.values()) {
                if (!s.terminal()) {
                    unfinished.add(s);
                }
            }
        }
        for (ActionState s : unfinished) {
            boolean repeatable = s.type.equals("scale-snapshot") || !s.started;
            if (repeatable) {
                // Scale snapshots are named at acceptance: running again finds "already exists" at worst.
                append(s, "resumed", Json.mapper().createObjectNode().put("reason", "restart found the action unfinished"));
                synchronized (lock) {
                    s.status = "accepted";
                }
                runner(s.target).execute(() -> run(s));
            } else {
                String why = "the app stopped while the " + s.type + " was running; check the storage system";
                append(s, "interrupted", Json.mapper().createObjectNode().put("reason", why));
                finish(s, "interrupted", s.result, why);
            }
        }
        if (!unfinished.isEmpty()) {
            LOG.warn("recovered {} unfinished actions from the journal", unfinished.size());
        }
    }

    private void replayOne(Journal.Written w) {
        JournalRecord r = w.record();
        if (r.action() == null) {
            return;
        }
        JsonNode d = r.data();
        synchronized (lock) {
            ActionState s = actions.get(r.action());
            switch (r.event()) {
                case "accepted", "coalesced", "refused" -> {
                    if (s == null) {
                        Map<String, String> plan = new LinkedHashMap<>();
                        d.path("plan").fields().forEachRemaining(e -> plan.put(e.getKey(), e.getValue().asText()));
                        ActionContext ctx = Json.mapper().convertValue(d.path("context"), ActionContext.class);
                        String status = r.event().equals("accepted") ? "accepted" : r.event();
                        s = new ActionState(r.action(), d.path("type").asText(), d.path("target").asText(),
                                d.path("scope").asText(), ctx, Instant.parse(r.time()), plan, d.path("dryRun").asBoolean(),
                                d.path("into").asText(null), status);
                        actions.put(s.id, s);
                        if (s.status.equals("accepted")) {
                            windows.put(s.target + "/" + s.scope, s);
                        }
                        if (s.coalescedInto != null) {
                            ActionState holder = actions.get(s.coalescedInto);
                            if (holder != null) {
                                holder.coalesced++;
                            }
                        }
                        String key = d.path("idempotencyKey").asText(null);
                        if (key != null) {
                            answers.put(key, CompletableFuture.completedFuture(new ActionAnswer(s.id,
                                    s.dryRun && s.status.equals("accepted") ? "dry-run" : s.status, s.coalescedInto,
                                    d.path("reason").asText(null))));
                        }
                    } else if (r.event().equals("refused")) {
                        s.status = "refused";
                        s.finishedAt = Instant.parse(r.time());
                        s.error = d.path("reason").asText(null);
                    }
                }
                case "started" -> {
                    if (s != null) {
                        s.started = true;
                        s.status = "running";
                    }
                }
                case "verified", "completed", "failed", "dry-run", "interrupted" -> {
                    if (s != null) {
                        s.status = r.event();
                        s.finishedAt = Instant.parse(r.time());
                        Map<String, String> result = new LinkedHashMap<>();
                        d.path("result").fields().forEachRemaining(e -> result.put(e.getKey(), e.getValue().asText()));
                        s.result = result;
                        s.error = d.path("error").asText(d.path("reason").asText(null));
                    }
                }
                default -> {
                    // call, resumed, offense-note: timeline only
                }
            }
            if (s != null) {
                s.timeline.add(w.position());
            }
        }
    }

    // ---- reading ---------------------------------------------------------------------------------------------

    public ActionDetail detail(String id) {
        ActionSummary summary;
        List<Long> positions;
        synchronized (lock) {
            ActionState s = actions.get(id);
            if (s == null) {
                throw new NotFoundException("no action " + id);
            }
            summary = s.summary();
            positions = List.copyOf(s.timeline);
        }
        List<ActionDetail.Step> steps = new ArrayList<>(positions.size());
        for (long p : positions) {
            JournalRecord r = journal.read(p);
            steps.add(new ActionDetail.Step(r.seq(), r.time(), r.event(), r.data()));
        }
        return new ActionDetail(summary, steps);
    }

    /** Newest first, filtered; {@code before} is the id of the last row of the previous page. */
    public ActionPage list(String since, String status, String target, String before, int limit) {
        if (limit < 1 || limit > 500) {
            throw new InvalidInputException("limit", "limit must be between 1 and 500");
        }
        Instant from;
        try {
            from = since == null || since.isBlank() ? Instant.MIN : Instant.parse(since);
        } catch (java.time.format.DateTimeParseException e) {
            throw new InvalidInputException("since", "since must be an ISO-8601 instant, e.g. 2026-11-23T08:00:00Z");
        }
        List<ActionSummary> page = new ArrayList<>();
        String next = null;
        synchronized (lock) {
            List<ActionState> all = new ArrayList<>(actions.values());
            boolean skipping = before != null;
            for (int i = all.size() - 1; i >= 0; i--) {
                ActionState s = all.get(i);
                if (skipping) {
                    skipping = !s.id.equals(before);
                    continue;
                }
                if (s.acceptedAt.isBefore(from) || (status != null && !status.equals(s.status))
                        || (target != null && !target.equals(s.target))) {
                    continue;
                }
                if (page.size() == limit) {
                    next = page.get(page.size() - 1).id();
                    break;
                }
                page.add(s.summary());
            }
        }
        return new ActionPage(page, next);
    }

    /**
     * The chain check reads every journal line (about 1.5 s for 100,000 records on two cores), so its result is
     * reused for a minute; {@code fresh} forces a new check.
     */
    public ChainReport verifyJournal(boolean fresh) {
        synchronized (verifyLock) {
            Instant now = clock.instant();
            if (fresh || lastVerify == null || now.isAfter(lastVerifyAt.plus(VERIFY_REUSE))) {
                lastVerify = journal.verify();
                lastVerifyAt = now;
            }
            return lastVerify;
        }
    }

    /** Lets running actions finish for a moment, then stops them; unfinished ones resume at the next start. */
    @Override
    public void close() {
        List<ThreadPoolExecutor> all;
        synchronized (lock) {
            all = new ArrayList<>(runners.values());
        }
        all.forEach(ThreadPoolExecutor::shutdown);
        for (ThreadPoolExecutor e : all) {
            try {
                if (!e.awaitTermination(2, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
