package safeguard.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.UnirestInstance;
import safeguard.http.Faults;
import safeguard.http.PollPolicy;
import safeguard.http.Protection;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;
import safeguard.http.Verdict;

/**
 * Storage Scale management API v2: Safeguarded Copy snapshots (immutable until their expiration time).
 * Basic authentication on every request. POSTs answer with a job, which is polled until it completes or fails;
 * the snapshot is then read back, and its expiration compared with the plan. Snapshot names are fixed when the
 * action is accepted, so asking again is safe (Scale says the name exists) and a resumed action first looks
 * for the snapshot, or for the job still creating it, before asking.
 */
public final class ScaleClient {
    /** Scale refuses more than 256 snapshots per fileset; leave room for the admin's own. */
    public static final int CAPACITY_GUARD = 250;
    static final String ALREADY_EXISTS = "EFSSP1102C";
    private static final DateTimeFormatter EXPIRATION = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm");

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;

    public ScaleClient(Upstream up, String user, String password, PollPolicy poll) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
    }

    private static String snapshotsPath(String fs, String fileset) {
        return "/scalemgmt/v2/filesystems/" + UrlPath.segment(fs) + (fileset == null ? "" : "/filesets/" + UrlPath.segment(fileset)) + "/snapshots";
    }

    /** Basic auth on every call; 401 and 403 are the credentials' fault whichever call meets them. */
    private Upstream.Reply checked(Upstream.Reply r) {
        return checked(r, user);
    }

    /** 401 and 403 are the credentials' fault whichever Scale call meets them (ScaleCopies too). */
    static Upstream.Reply checked(Upstream.Reply r, String user) {
        Optional<safeguard.http.Fault> refused = r.status() == 401 || r.status() == 403
                ? Faults.ofStatus(r.status(), "Scale", user) : Optional.empty();
        if (refused.isPresent()) {
            throw UpstreamException.of(refused.get(), r.status());
        }
        return r;
    }

    private Upstream.Reply get(String op, String path) {
        return checked(up.send(op, "GET", path, h -> h.get(up.url(path)).basicAuth(user, password)));
    }

    private Upstream.Reply get(String op, String path, Function<UnirestInstance, HttpRequest<?>> req) {
        return checked(up.send(op, "GET", path, req));
    }

    /** Expiration as Scale wants it: minutes, in the cluster's local time. */
    static String expiration(Instant at, ZoneId clusterZone) {
        return EXPIRATION.format(at.atZone(clusterZone));
    }

    /**
     * Makes sure snapshot {@code name} (global when {@code fileset} is null) exists, expiring at
     * {@code expiresAt}: when {@code lookFirst} (the action is resuming) it adopts the snapshot or the job an
     * earlier run started; otherwise it creates it, follows the job and reads the snapshot back.
     */
    public Protection createSnapshot(String fs, String fileset, String name, Instant expiresAt, ZoneId clusterZone,
                                     boolean lookFirst) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", name);
        details.put("fileSystem", fs);
        if (fileset != null) {
            details.put("fileset", fileset);
        }
        Plan plan = new Plan(fs, fileset, name, expiration(expiresAt, clusterZone), expiresAt, clusterZone);
        details.put("plannedExpiresAt", expiresAt.toString());
        details.put("plannedExpirationTime", plan.expiration);
        boolean asked = lookFirst; // an earlier run may have asked already
        try {
            if (lookFirst) {
                Optional<JsonNode> found = find(plan);
                if (found.isPresent()) {
                    details.put("adopted", "the snapshot existed when the action resumed");
                    return judge(found.get(), plan, details);
                }
                String job = runningJob(name);
                if (job != null) {
                    details.put("adopted", "job " + job + " was creating the snapshot when the action resumed");
                    return confirm(plan, job, false, details, poll.watch(), 0);
                }
            }
            List<Snapshot> existing = list(fs, fileset);
            if (existing.size() >= CAPACITY_GUARD) {
                return Protection.of(Verdict.NOT_PROTECTED, details, (fileset == null ? fs : fileset) + " holds "
                        + existing.size() + " snapshots; refusing to create more than " + CAPACITY_GUARD + " of Scale's 256");
            }
            String path = snapshotsPath(fs, fileset);
            String body = "{\"snapshotName\":\"" + name + "\",\"expirationTime\":\"" + plan.expiration + "\"}";
            asked = true;
            // The name is the action's own: a repeated POST finds it exists, so retrying cannot make a second copy.
            Upstream.Reply r = checked(up.create("create snapshot", "POST", path, name, true, h -> h.post(up.url(path))
                    .basicAuth(user, password).header("Content-Type", "application/json").body(body)));
            PollPolicy.Watch watch = poll.watch();
            if (!r.ok()) {
                String message = statusMessage(r);
                if (!message.contains(ALREADY_EXISTS)) {
                    return Protection.of(Verdict.NOT_PROTECTED, details, "create refused: " + message);
                }
                details.put("note", "already existed (" + ALREADY_EXISTS + ")");
                return confirm(plan, null, true, details, watch, 0);
            }
            return confirm(plan, r.json().path("jobs").path(0).path("jobId").asText(null), false, details, watch, 0);
        } catch (UpstreamException e) {
            boolean mayExist = (asked && e.mayHaveArrived()) || lookFirst;
            return Protection.of(mayExist ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, details,
                    mayExist ? e.getMessage() + "; the snapshot may exist: check Scale" : e.getMessage());
        }
    }

    private record Plan(String fs, String fileset, String name, String expiration, Instant expiresAt, ZoneId zone) {
    }

    private enum JobEnd { COMPLETED, EXISTS, FAILED, RUNNING }

    /**
     * After a create: follows {@code job} (when Scale gave one), then reads the snapshot back. When the name
     * was taken ({@code exists}) but no snapshot has it yet, the job creating it is found and followed.
     */
    private Protection confirm(Plan p, String job, boolean exists, Map<String, String> details, PollPolicy.Watch watch,
                               int hops) {
        if (job != null) {
            details.put("jobId", job);
            JobEnd end = awaitJob(job, details, watch);
            if (end == JobEnd.FAILED) {
                return Protection.of(Verdict.NOT_PROTECTED, details, details.remove("jobError"));
            }
            if (end == JobEnd.RUNNING) {
                Optional<JsonNode> early = find(p);
                return early.isPresent() ? judge(early.get(), p, details)
                        : Protection.of(Verdict.UNKNOWN, details, "job " + job + " still running after "
                        + watch.spent().toSeconds() + " s; not waiting longer (the snapshot may still appear)");
            }
            exists |= end == JobEnd.EXISTS;
        }
        Optional<JsonNode> found = find(p);
        if (found.isPresent()) {
            return judge(found.get(), p, details);
        }
        if (exists) {
            String other = runningJob(p.name);
            if (other != null && !other.equals(job) && hops == 0) {
                return confirm(p, other, false, details, watch, 1);
            }
        }
        if (job == null && !exists) {
            // No job to follow: the snapshot is read back until it shows or the bound is spent.
            while (watch.next()) {
                found = find(p);
                if (found.isPresent()) {
                    return judge(found.get(), p, details);
                }
            }
            return Protection.of(Verdict.UNKNOWN, details, "snapshot " + p.name + " did not appear within "
                    + watch.spent().toSeconds() + " s");
        }
        return Protection.of(Verdict.NOT_PROTECTED, details, "snapshot " + p.name + " is not there"
                + (exists ? " although Scale said the name exists" : " after its job completed"));
    }

    private static final java.util.Set<String> ENDED = java.util.Set.of("COMPLETED", "UNKNOWN", "FAILED");

    /** How the job ended, or RUNNING when the confirmation bound was spent first. */
    private JobEnd awaitJob(String jobId, Map<String, String> details, PollPolicy.Watch watch) {
        JsonNode job = finishedJob(up, user, password, jobId, watch);
        if (job == null) {
            return JobEnd.RUNNING;
        }
        if (!job.path("status").asText("").equals("FAILED")) {
            return JobEnd.COMPLETED; // COMPLETED, or UNKNOWN (CSI tolerates it): the read-back decides
        }
        String stderr = stderr(job);
        if (stderr.contains(ALREADY_EXISTS)) {
            details.put("note", "already existed (" + ALREADY_EXISTS + ")");
            return JobEnd.EXISTS;
        }
        details.put("jobError", "job " + jobId + " FAILED: " + (stderr.isBlank() ? "no error text" : stderr));
        return JobEnd.FAILED;
    }

    /**
     * Polls job {@code jobId} (storage-apis.md §1.3: RUNNING until COMPLETED or FAILED; CSI also takes UNKNOWN as
     * done) within the watch; the job as last read once it ended, or null when the bound was spent first. Any other
     * status is read as still running.
     */
    static JsonNode finishedJob(Upstream up, String user, String password, String jobId, PollPolicy.Watch watch) {
        String path = "/scalemgmt/v2/jobs/" + UrlPath.segment(jobId);
        while (watch.next()) {
            Upstream.Reply r = checked(up.send("poll job", "GET", path,
                    h -> h.get(up.url(path)).queryString("fields", ":all:").basicAuth(user, password)), user);
            if (!r.ok()) {
                throw new UpstreamException(r.status(), "job " + jobId + ": " + statusMessage(r), r.body());
            }
            JsonNode job = r.json().path("jobs").path(0);
            if (ENDED.contains(job.path("status").asText(""))) {
                return job;
            }
        }
        return null;
    }

    /** A finished job's error text (jobs[0].result.stderr, one line per entry). */
    static String stderr(JsonNode job) {
        return joined(job.path("result").path("stderr"));
    }

    /** The snapshot as Scale shows it, or empty when Scale says there is none by that name. */
    private Optional<JsonNode> find(Plan p) {
        String path = snapshotsPath(p.fs, p.fileset) + "/" + UrlPath.segment(p.name);
        Upstream.Reply r = get("read back snapshot", path);
        if (r.status() == 400 || r.status() == 404) {
            return Optional.empty();
        }
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "read back snapshot: " + statusMessage(r), r.body());
        }
        for (JsonNode s : r.json().path("snapshots")) {
            if (p.name.equals(s.path("snapshotName").asText())) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** The id of a RUNNING job whose request creates {@code name} (GET /jobs, storage-apis.md §1.2/§1.3). */
    private String runningJob(String name) {
        Upstream.Reply r = get("find job", "/scalemgmt/v2/jobs",
                h -> h.get(up.url("/scalemgmt/v2/jobs")).queryString("fields", ":all:").basicAuth(user, password));
        if (!r.ok()) {
            return null;
        }
        for (JsonNode j : r.json().path("jobs")) {
            JsonNode req = j.path("request");
            String data = req.path("data").isTextual() ? req.path("data").asText() : req.path("data").toString();
            if ("RUNNING".equals(j.path("status").asText()) && data.contains("\"" + name + "\"")) {
                return j.path("jobId").asText();
            }
        }
        return null;
    }

    /** Protected when the expiration matches the plan to the minute; else protected, but not as planned. */
    private static Protection judge(JsonNode s, Plan p, Map<String, String> details) {
        String seen = s.path("expirationTime").asText("");
        details.put("expirationTime", seen);
        Instant actual = parseExpiration(seen, p.zone);
        if (actual != null) {
            details.put("expiresAt", actual.toString());
        }
        // Formats differ by release ("2024-05-09-10:15", "2024-05-09 10:15:00,000"): compare the digits to the minute.
        if (!seen.isBlank() && digits(seen).startsWith(digits(p.expiration))) {
            return Protection.of(Verdict.PROTECTED, details, null);
        }
        return Protection.of(Verdict.PROTECTED_NOT_AS_PLANNED, details, "snapshot " + p.name + " exists but "
                + (seen.isBlank() ? "Scale shows no expiration" : "expires " + seen) + ", planned " + p.expiration);
    }

    public static Instant parseExpiration(String seen, ZoneId zone) {
        String d = digits(seen);
        if (d.length() < 12) {
            return null;
        }
        try {
            LocalDateTime t = LocalDateTime.of(Integer.parseInt(d.substring(0, 4)), Integer.parseInt(d.substring(4, 6)),
                    Integer.parseInt(d.substring(6, 8)), Integer.parseInt(d.substring(8, 10)), Integer.parseInt(d.substring(10, 12)),
                    d.length() >= 14 ? Integer.parseInt(d.substring(12, 14)) : 0);
            return t.atZone(zone).toInstant();
        } catch (java.time.DateTimeException | NumberFormatException e) {
            return null;
        }
    }

    public List<Snapshot> list(String fs, String fileset) {
        String path = snapshotsPath(fs, fileset);
        Upstream.Reply r = get("list snapshots", path);
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "list snapshots: " + statusMessage(r), r.body());
        }
        List<Snapshot> out = new ArrayList<>();
        for (JsonNode s : r.json().path("snapshots")) {
            String fset = s.path("filesetName").asText(null);
            out.add(new Snapshot(s.path("snapshotName").asText(), fset == null || fset.isEmpty() ? null : fset,
                    s.path("created").asText(null), s.path("expirationTime").asText(null), s.path("status").asText(null)));
        }
        return out;
    }

    /** Where a file system is mounted and how its filesets are laid out (storage-apis.md §1.2, §1a). */
    public record Layout(String mountPoint, List<Fileset> filesets) {
    }

    /**
     * Reads the file system's mount point ({@code mount.mountPoint}) and every fileset's junction and inode space
     * ({@code config.path}, {@code config.inodeSpace}, {@code config.isInodeSpaceOwner}), parsed leniently: the
     * v2 page defers field meanings to mmlsfileset, whose -Y output spells booleans and numbers as text.
     */
    public Layout layout(String fs) {
        String fsPath = "/scalemgmt/v2/filesystems/" + UrlPath.segment(fs);
        Upstream.Reply f = get("file system", fsPath);
        if (!f.ok()) {
            throw new UpstreamException(f.status(), "file system " + fs + ": " + statusMessage(f), f.body());
        }
        String mount = f.json().path("filesystems").path(0).path("mount").path("mountPoint").asText("");
        if (mount.isBlank()) {
            throw new UpstreamException(502, "Scale shows no mount point for file system " + fs, null);
        }
        String setsPath = fsPath + "/filesets";
        Upstream.Reply r = get("list filesets", setsPath,
                h -> h.get(up.url(setsPath)).queryString("fields", ":all:").basicAuth(user, password));
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "list filesets: " + statusMessage(r), r.body());
        }
        List<Fileset> out = new ArrayList<>();
        for (JsonNode n : r.json().path("filesets")) {
            JsonNode c = n.path("config");
            String name = n.path("filesetName").asText(c.path("filesetName").asText(""));
            if (name.isBlank()) {
                continue;
            }
            String junction = c.path("path").asText("");
            String status = c.path("status").asText("Linked");
            boolean linked = !junction.isBlank() && !status.equalsIgnoreCase("Unlinked") && !junction.equals("--");
            String owner = c.path("isInodeSpaceOwner").asText("true");
            out.add(new Fileset(name, linked ? junction : null, c.path("inodeSpace").asLong(0),
                    owner.equalsIgnoreCase("true") || owner.equals("1") || owner.equalsIgnoreCase("yes")));
        }
        return new Layout(mount, out);
    }

    /** Test connection: the API answers, the file system and each configured fileset exist. */
    public StepResult check(String fs, List<String> filesets) {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            Upstream.Reply info = get("server info", "/scalemgmt/v2/info");
            details.put("serverVersion", info.json().path("info").path("serverVersion").asText("unknown"));
            Upstream.Reply f = get("file system", "/scalemgmt/v2/filesystems/" + UrlPath.segment(fs));
            if (!f.ok()) {
                return fail(details, "file system '" + fs + "' not found: " + statusMessage(f));
            }
            for (String fileset : filesets) {
                Upstream.Reply s = get("fileset", "/scalemgmt/v2/filesystems/" + UrlPath.segment(fs) + "/filesets/" + UrlPath.segment(fileset));
                if (!s.ok()) {
                    return fail(details, "fileset '" + fileset + "' not found in " + fs + ": " + statusMessage(s));
                }
            }
            details.put("fileSystem", fs);
            return new StepResult(true, true, details, null, up.calls());
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    private StepResult fail(Map<String, String> details, String why) {
        return new StepResult(false, false, details, why, up.calls());
    }

    static String statusMessage(Upstream.Reply r) {
        String m = r.json().path("status").path("message").asText("");
        return "HTTP " + r.status() + (m.isBlank() ? "" : ": " + m);
    }

    private static String joined(JsonNode lines) {
        List<String> out = new ArrayList<>();
        lines.forEach(l -> out.add(l.asText()));
        return String.join(" ", out).trim();
    }

    private static String digits(String s) {
        return s.replaceAll("\\D", "");
    }
}
