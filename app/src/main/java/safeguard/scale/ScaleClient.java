package safeguard.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.http.PollPolicy;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;

/**
 * Storage Scale management API v2: Safeguarded Copy snapshots (immutable until their expiration time).
 * Basic authentication on every request. POSTs answer with a job, which is polled until it completes or fails;
 * the snapshot is then read back to confirm it exists with the expected expiration.
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

    private Upstream.Reply get(String op, String path) {
        return up.send(op, "GET", path, h -> h.get(up.url(path)).basicAuth(user, password));
    }

    /** Expiration as Scale wants it: minutes, in the cluster's local time. */
    static String expiration(Instant at, ZoneId clusterZone) {
        return EXPIRATION.format(at.atZone(clusterZone));
    }

    /**
     * Creates {@code name} (global when {@code fileset} is null) that expires at {@code expiresAt}, waits for the
     * job and reads the snapshot back.
     */
    public StepResult createSnapshot(String fs, String fileset, String name, Instant expiresAt, ZoneId clusterZone) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", name);
        details.put("fileSystem", fs);
        if (fileset != null) {
            details.put("fileset", fileset);
        }
        String expiration = expiration(expiresAt, clusterZone);
        details.put("expirationTime", expiration);
        try {
            List<Snapshot> existing = list(fs, fileset);
            if (existing.size() >= CAPACITY_GUARD) {
                return fail(details, (fileset == null ? fs : fileset) + " holds " + existing.size()
                        + " snapshots; refusing to create more than " + CAPACITY_GUARD + " of Scale's 256");
            }
            String path = snapshotsPath(fs, fileset);
            String body = "{\"snapshotName\":\"" + name + "\",\"expirationTime\":\"" + expiration + "\"}";
            Upstream.Reply r = up.send("create snapshot", "POST", path, h -> h.post(up.url(path))
                    .basicAuth(user, password).header("Content-Type", "application/json").body(body));
            if (!r.ok()) {
                String message = statusMessage(r);
                if (!message.contains(ALREADY_EXISTS)) {
                    return fail(details, "create refused: " + message);
                }
                details.put("note", "already existed (" + ALREADY_EXISTS + ")");
            } else {
                String job = r.json().path("jobs").path(0).path("jobId").asText(null);
                if (job != null) {
                    String failure = awaitJob(job, details);
                    if (failure != null) {
                        return fail(details, failure);
                    }
                }
            }
            return readBack(fs, fileset, name, expiration, details);
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    /** null when the job completed (or failed only because the snapshot exists already), else why it failed. */
    private String awaitJob(String jobId, Map<String, String> details) {
        details.put("jobId", jobId);
        String path = "/scalemgmt/v2/jobs/" + UrlPath.segment(jobId);
        for (int n = 1; n <= poll.maxPolls(); n++) {
            poll.pause(n);
            Upstream.Reply r = up.send("poll job", "GET", path,
                    h -> h.get(up.url(path)).queryString("fields", ":all:").basicAuth(user, password));
            if (!r.ok()) {
                return "job " + jobId + ": " + statusMessage(r);
            }
            JsonNode job = r.json().path("jobs").path(0);
            String status = job.path("status").asText("");
            switch (status) {
                case "COMPLETED", "UNKNOWN" -> {
                    return null; // the read-back decides
                }
                case "FAILED" -> {
                    String stderr = joined(job.path("result").path("stderr"));
                    if (stderr.contains(ALREADY_EXISTS)) {
                        details.put("note", "already existed (" + ALREADY_EXISTS + ")");
                        return null;
                    }
                    return "job " + jobId + " FAILED: " + (stderr.isBlank() ? "no error text" : stderr);
                }
                default -> {
                    // RUNNING: keep polling
                }
            }
        }
        return "job " + jobId + " still running after " + poll.maxPolls() + " polls";
    }

    private StepResult readBack(String fs, String fileset, String name, String expiration, Map<String, String> details) {
        String path = snapshotsPath(fs, fileset) + "/" + UrlPath.segment(name);
        Upstream.Reply r = get("read back snapshot", path);
        if (!r.ok()) {
            return fail(details, "snapshot not found when read back: " + statusMessage(r));
        }
        JsonNode s = r.json().path("snapshots").path(0);
        if (!name.equals(s.path("snapshotName").asText())) {
            return fail(details, "read back returned no snapshot named " + name);
        }
        String seen = s.path("expirationTime").asText("");
        details.put("expirationSeen", seen);
        // Formats differ by release ("2024-05-09-10:15", "2024-05-09 10:15:00,000"): compare the digits to the minute.
        if (!digits(seen).startsWith(digits(expiration))) {
            return new StepResult(false, false, details, "snapshot exists but its expiration is '" + seen
                    + "', expected " + expiration, up.calls());
        }
        return new StepResult(true, true, details, null, up.calls());
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

    /** Test connection: the API answers, the file system and each configured fileset exist. */
    public StepResult check(String fs, List<String> filesets) {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            Upstream.Reply info = get("server info", "/scalemgmt/v2/info");
            if (info.status() == 401 || info.status() == 403) {
                return fail(details, "HTTP " + info.status() + ": the user name or password is wrong, or the user may not use the API");
            }
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
