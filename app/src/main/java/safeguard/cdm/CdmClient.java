package safeguard.cdm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.UnirestInstance;
import safeguard.http.PollPolicy;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;

/**
 * IBM Spectrum Copy Data Management ("endeavour") REST API: Basic-auth session login, the session id on every
 * call, one re-login on 401, logout at the end. Starts a restore job by name and watches its run: COMPLETED,
 * FAILED, or RESOURCE ACTIVE — a clean-room restore left mounted, reported as such rather than waited on.
 */
public final class CdmClient {
    static final String SESSION_HEADER = "X-Endeavour-Sessionid";

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;
    private String session;

    public CdmClient(Upstream up, String user, String password, PollPolicy poll) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
    }

    private void login() {
        String path = "/api/endeavour/session";
        Upstream.Reply r = up.send("login", "POST", path, h -> h.post(up.url(path)).basicAuth(user, password)
                .header("Content-Type", "application/json"));
        String id = r.json().path("sessionid").asText(null);
        if (!r.ok() || id == null) {
            String why = r.json().path("description").asText(r.json().path("id").asText(""));
            throw new UpstreamException(r.status(), "login refused (HTTP " + r.status() + ")"
                    + (why.isEmpty() ? "" : ": " + why), r.body());
        }
        session = id;
    }

    private void logout() {
        if (session == null) {
            return;
        }
        String path = "/api/endeavour/session";
        try {
            up.send("logout", "DELETE", path, h -> h.delete(up.url(path)).header(SESSION_HEADER, session));
        } catch (UpstreamException ignored) {
            // the session expires by itself; a failed logout does not change the outcome
        }
        session = null;
    }

    private Upstream.Reply call(String op, String method, String path, Function<UnirestInstance, HttpRequest<?>> req) {
        if (session == null) {
            login();
        }
        Upstream.Reply r = up.send(op, method, path, h -> req.apply(h).header(SESSION_HEADER, session));
        if (r.status() == 401) {
            login();
            r = up.send(op + " (after re-login)", method, path, h -> req.apply(h).header(SESSION_HEADER, session));
        }
        return r;
    }

    /** Starts the job named {@code jobName} and follows the run it started until a final state or the poll limit. */
    public StepResult runJob(String jobName) {
        return loggedOut(follow(jobName));
    }

    /** Test connection: log in, find the job, log out. */
    public StepResult check(String jobName) {
        return loggedOut(find(jobName));
    }

    /** Logs out, and returns the result with every call, the logout included. */
    private StepResult loggedOut(StepResult r) {
        logout();
        return new StepResult(r.ok(), r.verified(), r.details(), r.error(), up.calls());
    }

    private StepResult follow(String jobName) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("job", jobName);
        try {
            JsonNode job = findJob(jobName);
            if (job == null) {
                return fail(details, "no job named '" + jobName + "'");
            }
            String id = job.path("id").asText();
            details.put("jobId", id);
            String before = job.path("lastrun").path("sessionId").asText("");
            String startPath = "/api/endeavour/job/" + UrlPath.segment(id);
            Upstream.Reply started = call("start job", "POST", startPath, h -> h.post(up.url(startPath))
                    .queryString("action", "start").queryString("actionname", "start")
                    .header("Content-Type", "application/json").body("{}"));
            if (started.status() == 409) {
                details.put("note", "the job was already running; following that run");
            } else if (!started.ok()) {
                return fail(details, "start refused (HTTP " + started.status() + ")" + describe(started.json()));
            }
            for (int n = 1; n <= poll.maxPolls(); n++) {
                poll.pause(n);
                Upstream.Reply r = call("poll job", "GET", startPath, h -> h.get(up.url(startPath)));
                if (!r.ok()) {
                    return fail(details, "cannot read the job (HTTP " + r.status() + ")");
                }
                JsonNode last = r.json().path("lastrun");
                String runId = last.path("sessionId").asText("");
                String status = last.path("status").asText("");
                if (runId.equals(before) && started.status() != 409) {
                    continue; // the new run has not shown up yet
                }
                details.put("runId", runId);
                details.put("status", status);
                switch (status) {
                    case "COMPLETED" -> {
                        return new StepResult(true, true, details, null, up.calls());
                    }
                    case "RESOURCE ACTIVE" -> {
                        details.put("note", "restore is active (mounted in the clean room); end it in CDM when done");
                        return new StepResult(true, true, details, null, up.calls());
                    }
                    case "FAILED", "PARTIAL", "CANCELLED", "ABORTED" -> {
                        return fail(details, "job run " + runId + " ended " + status);
                    }
                    default -> {
                        // RUNNING, PENDING, ...
                    }
                }
            }
            return fail(details, "job still running after " + poll.maxPolls() + " polls; not waiting any longer");
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    private StepResult find(String jobName) {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            login();
            JsonNode job = findJob(jobName);
            if (job == null) {
                return fail(details, "no job named '" + jobName + "'");
            }
            details.put("jobId", job.path("id").asText());
            details.put("lastRun", job.path("lastrun").path("status").asText("never"));
            return new StepResult(true, true, details, null, up.calls());
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    private JsonNode findJob(String name) {
        String path = "/api/endeavour/job";
        Upstream.Reply r = call("list jobs", "GET", path, h -> h.get(up.url(path)));
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


    private StepResult fail(Map<String, String> details, String why) {
        return new StepResult(false, false, details, why, up.calls());
    }
}
