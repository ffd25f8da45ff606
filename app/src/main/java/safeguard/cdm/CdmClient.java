package safeguard.cdm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.http.Faults;
import safeguard.http.Identities;
import safeguard.http.PollPolicy;
import safeguard.http.Protection;
import safeguard.http.SessionCache;
import safeguard.http.SessionCalls;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;
import safeguard.http.Verdict;

/**
 * IBM Spectrum Copy Data Management ("endeavour") REST API: Basic-auth session login, the session id on every
 * call (kept per target between actions, renewed once on 401). Starts a restore job by name and watches the run
 * it started, first check at once: COMPLETED or RESOURCE ACTIVE (a clean-room restore left mounted) protect,
 * FAILED and the like do not, still running at the confirmation bound is unknown. A resumed action first adopts
 * a run that started after it was accepted.
 */
public final class CdmClient {
    static final String SESSION_HEADER = "X-Endeavour-Sessionid";
    private static final String SESSION_PATH = "/api/endeavour/session";

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;
    private final SessionCalls calls;

    public CdmClient(Upstream up, String user, String password, PollPolicy poll, SessionCache.Slot session) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
        this.calls = new SessionCalls(up, SESSION_HEADER, Map.of("Content-Type", "application/json"), this::login,
                session, "CDM", user);
    }

    /** storage-apis.md §3.1: POST /api/endeavour/session with Basic auth, no body → {"sessionid": …}. */
    private String login() {
        Upstream.Reply r = up.send("login", "POST", SESSION_PATH, h -> h.post(up.url(SESSION_PATH)).basicAuth(user, password)
                .header("Content-Type", "application/json"));
        String id = r.json().path("sessionid").asText(null);
        if (!r.ok() || id == null) {
            String why = r.json().path("description").asText(r.json().path("id").asText(""));
            Optional<safeguard.http.Fault> f = Faults.ofStatus(r.status(), "CDM", user, why);
            if (f.isPresent()) {
                throw UpstreamException.of(f.get(), r.status());
            }
            throw new UpstreamException(r.status(), "CDM login refused (HTTP " + r.status() + ")"
                    + (why.isEmpty() ? "" : ": " + why), r.body());
        }
        return id;
    }

    /** §3.1: DELETE /api/endeavour/session → 204. Only connection tests end their session; actions keep theirs. */
    private void logout() {
        String session = calls.current().orElse(null);
        if (session == null) {
            return;
        }
        try {
            up.send("logout", "DELETE", SESSION_PATH, h -> h.delete(up.url(SESSION_PATH)).header(SESSION_HEADER, session));
        } catch (UpstreamException ignored) {
            // the session expires by itself; a failed logout does not change the outcome
        }
        calls.forget(session);
    }

    /**
     * Starts the job named {@code jobName} and follows the run it started until a final state or the
     * confirmation bound. {@code since} is set when the action resumes: a run started after it is adopted.
     */
    public Protection runJob(String jobName, Instant since) {
        return runJob(jobName, since, Identities.NONE, null);
    }

    /**
     * As {@link #runJob(String, Instant)}, adopting on resume by identity: a run whose id is not one of
     * {@code ids.known()} (journaled before the start) was started by this action. A 409 (another run active) is
     * reported as what it is: that run's id and start, whether it began before {@code firstEvent} (the incident's
     * first event), and never as this action's own copy ({@code foreignRun} in the details).
     */
    public Protection runJob(String jobName, Instant since, Identities ids, Instant firstEvent) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("job", jobName);
        boolean asked = since != null || ids.resuming();
        try {
            JsonNode job = findJob(jobName);
            if (job == null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "no job named '" + jobName + "'");
            }
            String id = job.path("id").asText();
            details.put("jobId", id);
            String jobPath = "/api/endeavour/job/" + UrlPath.segment(id);
            String before = job.path("lastrun").path("sessionId").asText("");
            if (ids.resuming()) {
                if (!before.isEmpty() && !ids.known().contains(before)) {
                    details.put("adopted", "run " + before + " is not one of the runs that existed before this action "
                            + "started one " + ids.known() + ": it is this action's");
                    return follow(jobPath, null, details);
                }
            } else if (since != null && startedSince(job, since)) {
                // A journal from before identities were kept: only the clocks can tell.
                details.put("adopted", "a run started after the action existed when it resumed");
                return follow(jobPath, null, details);
            }
            ids.journal().accept(before.isEmpty() ? java.util.Set.of() : java.util.Set.of(before));
            asked = true;
            Upstream.Reply started = null;
            try {
                // Not repeated after a lost answer: the run it may have started is looked for instead.
                started = calls.create("start job", "POST", jobPath, "run of job " + jobName, false, h -> h.post(up.url(jobPath))
                        .queryString("action", "start").queryString("actionname", "start").body("{}"));
            } catch (UpstreamException lost) {
                if (!lost.mayHaveArrived()) {
                    throw lost;
                }
                details.put("note", "the answer to the start was lost (" + lost.getMessage() + "); looking for its run");
            }
            if (started != null && started.status() >= 500) {
                // A server error may come after the run was started: look for it rather than assume either way.
                details.put("note", "CDM answered the start with HTTP " + started.status() + "; looking for its run");
                started = null;
            }
            if (started != null && started.status() == 409) {
                return foreign(jobName, jobPath, firstEvent, details);
            } else if (started != null && !started.ok()) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "start refused (HTTP " + started.status() + ")"
                        + describe(started.json()));
            }
            return follow(jobPath, before, details);
        } catch (UpstreamException e) {
            boolean mayExist = asked && e.mayHaveArrived();
            return Protection.of(mayExist ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, details,
                    mayExist ? e.getMessage() + "; the job may be running: check CDM" : e.getMessage());
        }
    }

    /**
     * CDM answered the start 409: another run of the job is active (§3.3). That run is not this action's: it is
     * followed and reported as protected-not-as-planned at best, saying whose it is and when it started.
     */
    private Protection foreign(String jobName, String jobPath, Instant firstEvent, Map<String, String> details) {
        JsonNode job = findJob(jobName);
        JsonNode last = job == null ? null : job.path("lastrun");
        String runId = last == null ? "" : last.path("sessionId").asText("");
        Instant start = last == null ? null : epoch(last.path("start").asText(job.path("lastRunTime").asText("")));
        details.put("foreignRun", runId.isEmpty() ? "unknown" : runId);
        if (start != null) {
            details.put("foreignRunStart", start.toString());
        }
        String when = start == null ? "at a time CDM does not show"
                : "at " + start + (firstEvent == null ? "" : start.isBefore(firstEvent)
                ? ", before this incident's first event (" + firstEvent + ")"
                : ", after this incident's first event (" + firstEvent + ")");
        String why = "CDM answered the start 409: run " + details.get("foreignRun") + " of job " + jobName
                + " was already active (started " + when + "); this action started no run of its own";
        Protection p = follow(jobPath, null, details);
        Map<String, String> d = new LinkedHashMap<>(p.details());
        d.put("foreignRun", details.get("foreignRun"));
        return switch (p.verdict()) {
            case PROTECTED, PROTECTED_NOT_AS_PLANNED -> Protection.of(Verdict.PROTECTED_NOT_AS_PLANNED, d,
                    why + "; that run ended " + d.getOrDefault("status", "?"));
            case NOT_PROTECTED -> Protection.of(Verdict.NOT_PROTECTED, d, why + "; " + p.error());
            case UNKNOWN -> Protection.of(Verdict.UNKNOWN, d, why + "; " + p.error());
        };
    }

    private static Instant epoch(String s) {
        if (!s.matches("\\d{10,13}")) {
            return null;
        }
        long ms = Long.parseLong(s);
        return Instant.ofEpochMilli(ms < 100_000_000_000L ? ms * 1000 : ms);
    }

    /** The requests a clean-room restore sends, in order, written out for its dry run. */
    public static List<String> cleanRoomCalls(String baseUrl, String jobName) {
        return List.of("POST " + baseUrl + SESSION_PATH + " (only without a live session)",
                "GET " + baseUrl + "/api/endeavour/job (find '" + jobName + "')",
                "POST " + baseUrl + "/api/endeavour/job/{id}?action=start&actionname=start {}",
                "GET " + baseUrl + "/api/endeavour/job/{id} until COMPLETED / RESOURCE ACTIVE / FAILED",
                "later, when the restore has been inspected: POST " + baseUrl
                        + "/api/endeavour/jobsession/{runId}?action=resume&actionname=end_iv");
    }

    /**
     * Ends a clean-room restore left mounted (storage-apis.md §3.2: jobsession … actionname=end_iv) and reads the
     * job back until its run {@code runId} is no longer RESOURCE ACTIVE, within the confirmation bound.
     */
    public Protection endCleanRoom(String jobName, String runId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("job", jobName);
        details.put("runId", runId);
        boolean asked = false;
        try {
            JsonNode job = findJob(jobName);
            if (job == null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "no job named '" + jobName + "'");
            }
            String jobPath = "/api/endeavour/job/" + UrlPath.segment(job.path("id").asText());
            String endPath = "/api/endeavour/jobsession/" + UrlPath.segment(runId);
            asked = true;
            Upstream.Reply r = calls.create("end clean-room restore", "POST", endPath, "end of run " + runId, false,
                    h -> h.post(up.url(endPath)).queryString("action", "resume").queryString("actionname", "end_iv").body("{}"));
            if (!r.ok()) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "end_iv refused (HTTP " + r.status() + ")" + describe(r.json()));
            }
            PollPolicy.Watch watch = poll.watch();
            String status = "RESOURCE ACTIVE";
            while (watch.next()) {
                Upstream.Reply j = calls.send("poll job", "GET", jobPath, h -> h.get(up.url(jobPath)));
                if (!j.ok()) {
                    throw new UpstreamException(j.status(), "cannot read the job (HTTP " + j.status() + ")", j.body());
                }
                JsonNode last = j.json().path("lastrun");
                if (!runId.equals(last.path("sessionId").asText(""))) {
                    return Protection.of(Verdict.PROTECTED, details, null); // a newer run: this one has ended
                }
                status = last.path("status").asText("");
                details.put("status", status);
                if (!status.equals("RESOURCE ACTIVE") && !status.equals("RUNNING") && !status.equals("PENDING")) {
                    return Protection.of(Verdict.PROTECTED, details, null);
                }
            }
            return Protection.of(Verdict.UNKNOWN, details, "run " + runId + " still " + status + " after "
                    + watch.spent().toSeconds() + " s; see CDM");
        } catch (UpstreamException e) {
            boolean mayHave = asked && e.mayHaveArrived();
            return Protection.of(mayHave ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, details, e.getMessage());
        }
    }

    /** Watches the job's last run (one other than {@code before}) until it ends or the bound is spent. */
    private Protection follow(String jobPath, String before, Map<String, String> details) {
        PollPolicy.Watch watch = poll.watch();
        String status = "not started";
        while (watch.next()) {
            Upstream.Reply r = calls.send("poll job", "GET", jobPath, h -> h.get(up.url(jobPath)));
            if (!r.ok()) {
                throw new UpstreamException(r.status(), "cannot read the job (HTTP " + r.status() + ")", r.body());
            }
            JsonNode last = r.json().path("lastrun");
            String runId = last.path("sessionId").asText("");
            if (runId.isEmpty() || runId.equals(before)) {
                continue; // the new run has not shown up yet
            }
            status = last.path("status").asText("");
            details.put("runId", runId);
            details.put("status", status);
            switch (status) {
                case "COMPLETED" -> {
                    return Protection.of(Verdict.PROTECTED, details, null);
                }
                case "RESOURCE ACTIVE" -> {
                    details.put("note", "restore is active (mounted in the clean room); end it in CDM when done");
                    return Protection.of(Verdict.PROTECTED, details, null);
                }
                case "FAILED", "PARTIAL", "CANCELLED", "ABORTED" -> {
                    return Protection.of(Verdict.NOT_PROTECTED, details, "job run " + runId + " ended " + status);
                }
                default -> {
                    // RUNNING, PENDING, ...
                }
            }
        }
        return Protection.of(Verdict.UNKNOWN, details, "job run " + (details.containsKey("runId") ? details.get("runId")
                + " still " + status : "not seen") + " after " + watch.spent().toSeconds() + " s; not waiting longer (see CDM)");
    }

    /** Whether the job's last run started at or after {@code since} (§3.2: lastrun.start or lastRunTime, epoch ms). */
    private static boolean startedSince(JsonNode job, Instant since) {
        for (JsonNode t : new JsonNode[] {job.path("lastrun").path("start"), job.path("lastRunTime")}) {
            String s = t.asText("");
            if (s.matches("\\d{10,13}")) {
                long ms = Long.parseLong(s);
                return (ms < 100_000_000_000L ? ms * 1000 : ms) >= since.toEpochMilli();
            }
        }
        return false;
    }

    /** Test connection: log in, find the job, log out. */
    public StepResult check(String jobName) {
        Map<String, String> details = new LinkedHashMap<>();
        StepResult r;
        try {
            calls.session();
            JsonNode job = findJob(jobName);
            if (job == null) {
                r = new StepResult(false, false, details, "no job named '" + jobName + "'", up.calls());
            } else {
                details.put("jobId", job.path("id").asText());
                details.put("lastRun", job.path("lastrun").path("status").asText("never"));
                r = new StepResult(true, true, details, null, up.calls());
            }
        } catch (UpstreamException e) {
            r = new StepResult(false, false, details, e.getMessage(), up.calls());
        }
        logout();
        return new StepResult(r.ok(), r.verified(), r.details(), r.error(), up.calls());
    }

    private JsonNode findJob(String name) {
        String path = "/api/endeavour/job";
        Upstream.Reply r = calls.send("list jobs", "GET", path, h -> h.get(up.url(path)));
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "cannot list jobs (HTTP " + r.status() + ")", r.body());
        }
        for (JsonNode j : r.json().path("jobs")) {
            if (j.path("name").asText().equalsIgnoreCase(name)) {
                return j;
            }
        }
        return null;
    }

    private static String describe(JsonNode error) {
        String d = error.path("description").asText("");
        return d.isEmpty() ? "" : ": " + d;
    }
}
