package safeguard.cdm;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import safeguard.Json;
import safeguard.StorageSimulator;
import safeguard.TestCerts;

/**
 * Copy Data Management ("endeavour") REST API (storage-apis.md §3), stateful: sessions from a Basic-auth login,
 * required as X-Endeavour-Sessionid on every call and expirable (§3.1); starting a job (§3.2) makes a new run
 * (job session) that goes RUNNING for {@link #readsToFinish} reads of the job, then ends {@link #runEndsAs}
 * (COMPLETED, RESOURCE ACTIVE for a clean-room restore left mounted, FAILED; §3.3); starting while a run is
 * active answers 409 (§3.3, [I]). A run left RESOURCE ACTIVE ends (COMPLETED) when its job session is resumed with
 * actionname=end_iv (§3.2, RECOVER-FACTS.md).
 */
public final class CdmSimulator extends StorageSimulator {
    static final String API = "/api/endeavour";
    private static final Pattern JOB = Pattern.compile(API + "/job/([^/]+)");
    /** §3.2 [V path]: a job session, addressed by a run's lastrun.sessionId. */
    private static final Pattern JOB_SESSION = Pattern.compile(API + "/jobsession/([^/]+)");

    /** One run of a job: its session id, status and start (epoch ms). */
    public record Run(String sessionId, String status, long start) {
    }

    private static final class Job {
        final String id;
        final String name;
        final List<Run> runs = new ArrayList<>();
        int readsLeft;

        Job(String id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final Map<String, Job> jobs = new LinkedHashMap<>();
    private final Set<String> sessions = ConcurrentHashMap.newKeySet();
    private int sessionCount;
    private int runCount = 900;
    private String user = "cdmadmin";
    private String password;
    /** How many reads of a job show its new run RUNNING before it ends. */
    public volatile int readsToFinish = 1;
    /** How a run ends: COMPLETED, RESOURCE ACTIVE or FAILED (§3.3). */
    public volatile String runEndsAs = "COMPLETED";

    public CdmSimulator(TestCerts cert) {
        super(cert);
        jobs.put("1001", new Job("1001", "Nightly SLA"));
        Job restore = new Job("1005", "SQL-CleanRoom-Restore");
        restore.runs.add(new Run("900", "COMPLETED", System.currentTimeMillis() - 86_400_000L));
        jobs.put("1005", restore);
    }

    /**
     * A run of job {@code jobId} someone else started (a schedule, another admin) at {@code startMs} in CDM's own
     * clock, now {@code status} (RUNNING, COMPLETED, ...); its session id.
     */
    public synchronized String ranElsewhere(String jobId, String status, long startMs) {
        Job j = jobs.get(jobId);
        String id = Integer.toString(++runCount);
        j.runs.add(new Run(id, status, startMs));
        j.readsLeft = readsToFinish;
        return id;
    }

    public CdmSimulator credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    public void expireSessions() {
        sessions.clear();
    }

    public synchronized List<Run> runs(String jobId) {
        return List.copyOf(jobs.get(jobId).runs);
    }

    /** Runs started while the simulator was up (the one before it started is not counted). */
    public synchronized long started(String jobId) {
        return jobs.get(jobId).runs.stream().filter(r -> !r.sessionId().equals("900")).count();
    }

    public long logins() {
        return count("POST", API + "/session");
    }

    public long logouts() {
        return count("DELETE", API + "/session");
    }

    /** How many POST jobsession/{id} requests (end_iv) arrived, whatever their answer. */
    public long endIvs() {
        return count("POST", API + "/jobsession/.+");
    }

    @Override
    protected Answer handle(Call c) {
        if (c.path().equals(API + "/session") && c.method().equals("POST")) {
            return login(c);
        }
        String session = c.header("X-Endeavour-Sessionid");
        if (session == null || !sessions.contains(session)) {
            return unauthenticated("Session is not valid or has expired");
        }
        if (c.path().equals(API + "/session") && c.method().equals("DELETE")) {
            sessions.remove(session); // §3.1 logout → 204
            return json(204, null);
        }
        if (c.path().equals(API + "/job") && c.method().equals("GET")) {
            ObjectNode body = Json.mapper().createObjectNode();
            body.put("total", jobs.size());
            ArrayNode list = body.putArray("jobs");
            jobs.values().forEach(j -> list.add(job(j, false)));
            return json(200, body.toString());
        }
        Matcher js = JOB_SESSION.matcher(c.path());
        if (js.matches() && c.method().equals("POST")) {
            return endIv(c, js.group(1));
        }
        Matcher m = JOB.matcher(c.path());
        if (m.matches() && jobs.containsKey(m.group(1))) {
            Job j = jobs.get(m.group(1));
            if (c.method().equals("GET")) {
                return json(200, job(j, true).toString());
            }
            if (c.method().equals("POST")) {
                return start(c, j);
            }
        }
        if (m.matches()) {
            return json(404, "{\"id\":\"NotFound\",\"description\":\"job " + m.group(1) + " not found\"}");
        }
        return violation("§3.2", c.method() + " " + c.path() + " is not a documented call");
    }

    /** §3.1: Basic auth, no body → {"sessionid": …}; bad credentials → 401 XSBAuthenticationException. */
    private Answer login(Call c) {
        String auth = c.header("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            return violation("§3.1", "login without Basic authentication");
        }
        String[] up = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
        if (!up[0].equals(user) || (password != null && !password.equals(up.length > 1 ? up[1] : ""))) {
            return unauthenticated("Invalid username or password");
        }
        String id = "sess-" + (++sessionCount);
        sessions.add(id);
        return json(200, "{\"sessionid\":\"" + id + "\",\"user\":{\"name\":\"" + user + "\"}}");
    }

    /** §3.2: POST job/{id}?action=start&actionname=start with body {}; §3.3 [I]: 409 while a run is active. */
    private Answer start(Call c, Job j) {
        if (!"start".equals(c.query().get("action")) || !"start".equals(c.query().get("actionname"))) {
            return violation("§3.2", "a job start without ?action=start&actionname=start: " + c.query());
        }
        JsonNode body = c.json();
        if (body == null || !body.isObject() || !body.isEmpty()) {
            return violation("§3.2", "a job start without the JSON body {}: " + c.body());
        }
        Run last = j.runs.isEmpty() ? null : j.runs.get(j.runs.size() - 1);
        if (last != null && (last.status().equals("RUNNING") || last.status().equals("PENDING"))) {
            return json(409, "{\"id\":\"JobAlreadyRunning\",\"description\":\"job " + j.name + " is already running\"}");
        }
        j.runs.add(new Run(Integer.toString(++runCount), "RUNNING", System.currentTimeMillis()));
        j.readsLeft = readsToFinish;
        return json(200, "{\"id\":\"" + j.id + "\",\"status\":\"PENDING\"}");
    }

    /**
     * §3.2 [V]: POST jobsession/{sessionId}?action=resume&amp;actionname=end_iv ends a restore left mounted (RESOURCE
     * ACTIVE, §3.3). [I]: the run then ends COMPLETED and the answer is 200 {}; an unknown session is 404 and a run
     * that is not RESOURCE ACTIVE is 409 (a conflict with its state, as a start while running, §3.3), both with an
     * endeavour error body.
     */
    private Answer endIv(Call c, String sessionId) {
        if (!"resume".equals(c.query().get("action")) || !"end_iv".equals(c.query().get("actionname"))) {
            return violation("§3.2", "a job session resume without ?action=resume&actionname=end_iv: " + c.query());
        }
        for (Job j : jobs.values()) {
            for (int i = 0; i < j.runs.size(); i++) {
                Run r = j.runs.get(i);
                if (!r.sessionId().equals(sessionId)) {
                    continue;
                }
                if (!r.status().equals("RESOURCE ACTIVE")) {
                    return error(409, "JobSessionNotActive", "job session " + sessionId + " is " + r.status() + ", not RESOURCE ACTIVE");
                }
                j.runs.set(i, new Run(r.sessionId(), "COMPLETED", r.start()));
                return json(200, "{}");
            }
        }
        return error(404, "NotFound", "job session " + sessionId + " not found");
    }

    /** §3.1: endeavour errors carry id, description and title. */
    private static Answer error(int status, String id, String description) {
        ObjectNode n = Json.mapper().createObjectNode().put("id", id).put("description", description).put("title", "Error");
        return json(status, n.toString());
    }

    private ObjectNode job(Job j, boolean read) {
        Run last = j.runs.isEmpty() ? null : j.runs.get(j.runs.size() - 1);
        if (read && last != null && last.status().equals("RUNNING")) {
            if (j.readsLeft-- <= 0) {
                last = new Run(last.sessionId(), runEndsAs, last.start());
                j.runs.set(j.runs.size() - 1, last);
            }
        }
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", j.id).put("name", j.name).put("status", last != null && last.status().equals("RUNNING") ? "RUNNING" : "IDLE");
        if (last != null) {
            n.putObject("lastrun").put("sessionId", last.sessionId()).put("status", last.status()).put("start", last.start());
            n.put("lastRunTime", last.start());
        }
        n.putObject("links").putObject("start").put("href", "https://cdm" + API + "/job/" + j.id + "?action=start");
        return n;
    }

    private static Answer unauthenticated(String description) {
        return json(401, "{\"id\":\"XSBAuthenticationException\",\"description\":\"" + description + "\",\"title\":\"Error\"}");
    }
}
