package safeguard.scale;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import safeguard.Json;
import safeguard.http.PollPolicy;
import safeguard.http.Protection;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;
import safeguard.http.Verdict;

/**
 * Copying data back out of a snapshot with the management API's {@code snapshotCopy} (storage-apis.md §1.2, IBM's
 * CSI driver CopyFsetSnapshotPath): one PUT per chosen path, each a job polled to its end, then the copy read back
 * ({@code owner/{path}}, CSI CheckIfFileDirPresent). Targets are fixed when the restore is accepted, so a resumed
 * restore first looks for the job an earlier run started (GET /jobs, by its URL and targetPath) or for the copy it
 * left, instead of copying again.
 */
public final class ScaleCopies {
    static final String NOT_FOUND = "not found";
    static final String PATH_MISSING = "EFSSG0264C";

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;

    public ScaleCopies(Upstream up, String user, String password, PollPolicy poll) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
    }

    /** Where a file system is mounted and, for a fileset, where it is linked: paths are judged against these. */
    public record Layout(String mountPoint, String root) {
    }

    /** One path to bring back: its live path (inside the layout's root) and the absolute path the copy goes to. */
    public record Copy(String source, String target) {
    }

    /** A restore as fixed at acceptance; {@code fileset} null copies out of a global snapshot. */
    public record Plan(String fileSystem, String fileset, String snapshot, Layout layout, List<Copy> copies,
                       boolean overwrite) {
    }

    public Layout layout(String fs, String fileset) {
        String fsPath = "/scalemgmt/v2/filesystems/" + UrlPath.segment(fs);
        Upstream.Reply f = get("file system", fsPath);
        if (!f.ok()) {
            throw new UpstreamException(f.status(), "file system '" + fs + "': " + ScaleClient.statusMessage(f), f.body());
        }
        String mount = f.json().path("filesystems").path(0).path("mount").path("mountPoint").asText("");
        if (mount.isEmpty()) {
            throw new UpstreamException(f.status(), "Scale does not say where file system '" + fs + "' is mounted", f.body());
        }
        if (fileset == null) {
            return new Layout(trim(mount), trim(mount));
        }
        String setPath = fsPath + "/filesets/" + UrlPath.segment(fileset);
        Upstream.Reply s = get("fileset", setPath);
        if (!s.ok()) {
            throw new UpstreamException(s.status(), "fileset '" + fileset + "': " + ScaleClient.statusMessage(s), s.body());
        }
        String junction = s.json().path("filesets").path(0).path("config").path("path").asText("");
        if (junction.isEmpty()) {
            throw new UpstreamException(s.status(), "fileset '" + fileset + "' is not linked (Scale shows no path)", s.body());
        }
        return new Layout(trim(mount), trim(junction));
    }

    /** Whether {@code absolutePath} exists now (owner/{path}, relative to the mount point; CSI CheckIfFileDirPresent). */
    public boolean exists(String fs, Layout layout, String absolutePath) {
        String path = ownerPath(fs, layout, absolutePath);
        Upstream.Reply r = get("does the path exist", path);
        if (r.ok()) {
            return true;
        }
        String m = ScaleClient.statusMessage(r);
        if ((r.status() == 400 || r.status() == 404) && (m.toLowerCase(java.util.Locale.ROOT).contains(NOT_FOUND)
                || m.contains(PATH_MISSING))) {
            return false;
        }
        throw new UpstreamException(r.status(), "cannot tell whether " + absolutePath + " exists: " + m, r.body());
    }

    /** The requests a restore sends, in order, written out for its dry run. */
    public static List<String> calls(String baseUrl, Plan p) {
        List<String> out = new ArrayList<>();
        String v2 = baseUrl + "/scalemgmt/v2/filesystems/" + UrlPath.segment(p.fileSystem());
        for (Copy c : p.copies()) {
            if (!p.overwrite()) {
                out.add("GET " + ownerUrl(v2, p.layout(), c.target()) + " (the target must not exist)");
            }
            out.add("PUT " + copyUrl(v2, p, c) + " " + body(c, p.overwrite()));
            out.add("GET " + baseUrl + "/scalemgmt/v2/jobs/{jobId}?fields=:all: until COMPLETED or FAILED");
            out.add("GET " + ownerUrl(v2, p.layout(), c.target()) + " (read back the copy)");
        }
        return out;
    }

    /**
     * Copies every path of the plan. {@code resuming}: an earlier run may have started some copies; their jobs
     * are followed, or their finished copies read back, instead of being asked for again.
     */
    public Protection restore(Plan p, boolean resuming) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("snapshot", p.snapshot());
        details.put("fileSystem", p.fileSystem());
        if (p.fileset() != null) {
            details.put("fileset", p.fileset());
        }
        List<String> failed = new ArrayList<>();
        List<String> unknown = new ArrayList<>();
        int i = 0;
        for (Copy c : p.copies()) {
            i++;
            String key = "copy." + i;
            details.put(key + ".source", c.source());
            details.put(key + ".target", c.target());
            String outcome;
            try {
                outcome = copy(p, c, resuming, details, key);
            } catch (UpstreamException e) {
                // Nothing may have been copied only when no request could have reached Scale and no earlier run's might.
                outcome = (e.mayHaveArrived() || resuming ? "unknown: " : "failed: ") + e.getMessage();
            }
            details.put(key + ".outcome", outcome);
            if (outcome.startsWith("failed")) {
                failed.add(c.source());
            } else if (outcome.startsWith("unknown")) {
                unknown.add(c.source());
            }
        }
        if (!unknown.isEmpty()) {
            return Protection.of(Verdict.UNKNOWN, details, "could not confirm the copy of " + String.join(", ", unknown)
                    + (failed.isEmpty() ? "" : "; " + String.join(", ", failed) + " not restored") + " (see each copy's outcome)");
        }
        if (!failed.isEmpty()) {
            return Protection.of(Verdict.NOT_PROTECTED, details, String.join(", ", failed) + " not restored"
                    + (failed.size() < p.copies().size() ? " (the other paths were)" : "") + " (see each copy's outcome)");
        }
        return Protection.of(Verdict.PROTECTED, details, null);
    }

    /** One path: "restored …", "failed: …" or "unknown: …". */
    private String copy(Plan p, Copy c, boolean resuming, Map<String, String> details, String key) {
        String v2 = "/scalemgmt/v2/filesystems/" + UrlPath.segment(p.fileSystem());
        String path = copyUrl(v2, p, c);
        if (resuming) {
            Optional<JsonNode> earlier = earlierJob(path, c.target());
            if (earlier.isPresent()) {
                String job = earlier.get().path("jobId").asText();
                details.put(key + ".jobId", job);
                details.put(key + ".adopted", "job " + job + " of an earlier run");
                return follow(p, c, job);
            }
            if (!p.overwrite() && exists(p.fileSystem(), p.layout(), c.target())) {
                // The target did not exist when the restore was accepted: an earlier run's copy made it.
                details.put(key + ".adopted", "the target existed when the restore resumed");
                return "restored (read back)";
            }
        }
        String body = body(c, p.overwrite());
        Upstream.Reply r = checked(up.create("copy out of snapshot", "PUT", path, c.target(), false, h -> h.put(up.url(path))
                .basicAuth(user, password).header("Content-Type", "application/json").body(body)));
        if (!r.ok()) {
            return "failed: copy refused: " + ScaleClient.statusMessage(r);
        }
        String job = r.json().path("jobs").path(0).path("jobId").asText(null);
        if (job == null) {
            return exists(p.fileSystem(), p.layout(), c.target()) ? "restored (read back)"
                    : "unknown: Scale answered without a job and the target is not there yet";
        }
        details.put(key + ".jobId", job);
        return follow(p, c, job);
    }

    private String follow(Plan p, Copy c, String jobId) {
        PollPolicy.Watch watch = poll.watch();
        JsonNode job = ScaleClient.finishedJob(up, user, password, jobId, watch);
        if (job == null) {
            return "unknown: job " + jobId + " still running after " + watch.spent().toSeconds() + " s; see Scale's jobs";
        }
        if (job.path("status").asText("").equals("FAILED")) {
            String stderr = ScaleClient.stderr(job);
            return "failed: job " + jobId + " FAILED: " + (stderr.isBlank() ? "no error text" : stderr);
        }
        return exists(p.fileSystem(), p.layout(), c.target()) ? "restored (job " + jobId + " completed, read back)"
                : "failed: job " + jobId + " completed but " + c.target() + " is not there";
    }

    /** The newest job whose request is this copy (same URL, same targetPath), in any state. */
    private Optional<JsonNode> earlierJob(String copyPath, String target) {
        Upstream.Reply r = checked(up.send("find job", "GET", "/scalemgmt/v2/jobs",
                h -> h.get(up.url("/scalemgmt/v2/jobs")).queryString("fields", ":all:").basicAuth(user, password)));
        if (!r.ok()) {
            return Optional.empty();
        }
        JsonNode found = null;
        String decodedPath = decoded(copyPath);
        for (JsonNode j : r.json().path("jobs")) {
            JsonNode req = j.path("request");
            String url = decoded(req.path("url").asText(""));
            String data = req.path("data").isTextual() ? req.path("data").asText() : req.path("data").toString();
            JsonNode asked = parse(data);
            if (url.endsWith(decodedPath) && asked != null && target.equals(asked.path("targetPath").asText())) {
                found = j; // jobs are listed oldest first: keep the last
            }
        }
        return Optional.ofNullable(found);
    }

    /** A request path as Scale may echo it, encoded or not ('+' is a plus in a path, not a space). */
    private static String decoded(String path) {
        return java.net.URLDecoder.decode(path.replace("+", "%2B"), java.nio.charset.StandardCharsets.UTF_8);
    }

    private static JsonNode parse(String s) {
        try {
            return Json.mapper().readTree(s);
        } catch (Exception e) {
            return null;
        }
    }

    private static String copyUrl(String v2, Plan p, Copy c) {
        return v2 + (p.fileset() == null ? "" : "/filesets/" + UrlPath.segment(p.fileset())) + "/snapshotCopy/"
                + UrlPath.segment(p.snapshot()) + "/path/" + UrlPath.segment(relative(p.layout().root(), c.source()));
    }

    private static String ownerPath(String fs, Layout layout, String absolutePath) {
        return ownerUrl("/scalemgmt/v2/filesystems/" + UrlPath.segment(fs), layout, absolutePath);
    }

    private static String ownerUrl(String v2, Layout layout, String absolutePath) {
        return v2 + "/owner/" + UrlPath.segment(relative(layout.mountPoint(), absolutePath));
    }

    /** The path below {@code root}, with a leading "/" (CSI sends "/" + dir); the root itself is "/". */
    static String relative(String root, String absolutePath) {
        String rest = absolutePath.substring(root.length());
        return rest.isEmpty() ? "/" : rest;
    }

    private static String body(Copy c, boolean overwrite) {
        var b = Json.mapper().createObjectNode().put("targetPath", c.target());
        if (overwrite) {
            b.put("force", true);
        }
        return b.toString();
    }

    private Upstream.Reply get(String op, String path) {
        return checked(up.send(op, "GET", path, h -> h.get(up.url(path)).basicAuth(user, password)));
    }

    private Upstream.Reply checked(Upstream.Reply r) {
        return ScaleClient.checked(r, user);
    }

    private static String trim(String p) {
        return p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
    }
}
