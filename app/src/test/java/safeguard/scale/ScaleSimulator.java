package safeguard.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import safeguard.Json;
import safeguard.StorageSimulator;
import safeguard.TestCerts;

/**
 * Storage Scale management API v2 (storage-apis.md §1), stateful: a snapshot POST creates a job that completes
 * after {@link #pollsToComplete} polls of it, and only then does the snapshot exist, with its expirationTime;
 * a second create of a name that exists or is being created fails its job with EFSSP1102C; deleting a
 * snapshot before its expiration fails its job (Safeguarded Copy, §5.1). The cluster's time zone is UTC.
 * <p>
 * It also holds a live file tree: gpfs01 is mounted at /gpfs/gpfs01, its root fileset there, and each fileset
 * linked at its junction (sales, hr, ops, eng at /gpfs/gpfs01/&lt;fileset&gt;, independent, each its own inode
 * space; {@link #fileset} links more, nested or dependent). A fileset snapshot captures the live files of its inode
 * space: under its junction, but not under a nested independent fileset's (storage-apis.md §1a); a global one
 * everything under the mount point. It comes into existence when its job completes; a snapshotCopy job copies
 * captured files back into the live tree when it completes (RECOVER-FACTS.md, storage-apis.md §1.2).
 */
public final class ScaleSimulator extends StorageSimulator {
    static final String V2 = "/scalemgmt/v2";
    private static final Pattern SNAPSHOTS = Pattern.compile(V2 + "/filesystems/([^/]+)(?:/filesets/([^/]+))?/snapshots(?:/([^/]+))?");
    /** §1.2 "List filesets" (`?fields=:all:` gives each fileset's config, §1a). */
    private static final Pattern FILESETS = Pattern.compile(V2 + "/filesystems/([^/]+)/filesets");
    private static final Pattern FILESYSTEM = Pattern.compile(V2 + "/filesystems/([^/]+)(?:/filesets/([^/]+))?");
    private static final Pattern JOB = Pattern.compile(V2 + "/jobs/([^/]+)");
    /** CSI CopyFsetSnapshotPath [V] and its file-system twin [I]; srcPath arrives decoded, so it may hold '/'. */
    private static final Pattern COPY = Pattern.compile(V2 + "/filesystems/([^/]+)(?:/filesets/([^/]+))?/snapshotCopy/([^/]+)/path/(.+)");
    /** CSI CheckIfFileDirPresent [V]: relPath arrives decoded. */
    private static final Pattern OWNER = Pattern.compile(V2 + "/filesystems/([^/]+)/owner/(.+)");
    /** As sent, srcPath / relPath is ONE segment with every '/' as %2F (RECOVER-FACTS.md, CSI [V]). */
    private static final Pattern ONE_SEGMENT_TAIL = Pattern.compile(".*/(?:owner|path)/[^/]+");
    /** The body fields documented for snapshotCopy (storage-apis.md §1.2 [V field names]). */
    private static final Set<String> COPY_FIELDS = Set.of("targetPath", "nodeclassName", "targetFilesystem", "targetFileset", "force");
    /** §5.1: the names that are safe as snapshot names (no ':' ',' '/' spaces or shell characters). */
    private static final Pattern SNAPSHOT_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");
    /** §1.2: expirationTime "yyyy-mm-dd-hh:mm". */
    private static final Pattern EXPIRATION = Pattern.compile("\\d{4}-\\d{2}-\\d{2}-\\d{2}:\\d{2}");
    private static final DateTimeFormatter EXPIRES = DateTimeFormatter.ofPattern("yyyy-MM-dd-HH:mm");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss,SSS").withZone(ZoneOffset.UTC);
    static final int LIMIT = 256;

    /** A snapshot: where it lives ("" fileset = global) and when it may be deleted. */
    public record Snap(String fileSystem, String fileset, String name, String expirationTime, String created) {
    }

    /**
     * A fileset as mmlsfileset -Y / the v2 config object describes it (§1a; field names as the CSI driver's
     * FilesetConfig_v2 reads them): junction ({@code path}), inode space, whether it owns it, its id and parent's.
     */
    private record Fset(String name, String junction, long inodeSpace, boolean independent, long id, long parentId) {
    }

    /** A snapshotCopy: out of the snapshot {@code snapshot} (key), root = its junction or mount point. */
    private record Copy(String snapshot, String root, String srcPath, String target, boolean force) {
    }

    private final class Job {
        final long id;
        final String url;
        final String data;
        final String type;
        final Snap creates;
        final String deletes;
        Copy copies;
        String status = "RUNNING";
        String stderr;
        int polls;

        Job(String type, String url, String data, Snap creates, String deletes) {
            this.id = nextJob++;
            this.type = type;
            this.url = url;
            this.data = data;
            this.creates = creates;
            this.deletes = deletes;
        }
    }

    private final Map<String, Set<String>> fileSystems = new ConcurrentHashMap<>();
    private volatile String mountRoot = "/gpfs";
    /** gpfs01's filesets by name, root first, in the order they were linked. */
    private final Map<String, Fset> filesets = new LinkedHashMap<>();
    private final Map<String, Snap> snapshots = new LinkedHashMap<>();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    /** The live files of the cluster: absolute path → content (directories are implied by the files under them). */
    private final SortedMap<String, String> live = new TreeMap<>();
    /** What each snapshot (by key) captured: absolute live-side path → content. */
    private final Map<String, SortedMap<String, String>> captured = new LinkedHashMap<>();
    private long nextJob = 1_000_000_000_012L;
    private String user = "snapadmin";
    private String password;
    /** How many polls of a job answer RUNNING before it completes; 0 completes at the first poll. */
    public volatile int pollsToComplete = 1;
    /** When set, the cluster keeps snapshots until this time instead of the one asked for (a retention policy). */
    public volatile String expirationOverride;
    /** When true, expirationTime is answered as some releases spell it ("2024-05-09 10:15:00,000", §1.3: parse leniently). */
    public volatile boolean longExpirationFormat;
    /**
     * While true the GUI node answers every request 503 (it serves the REST API; a restarting or overloaded GUI is
     * unavailable [I: status assumed, §1.2 lists 500 for internal errors; a client must treat any 5xx alike]).
     */
    public volatile boolean guiDown;
    /** When set, create jobs fail with this stderr line (§1.3: FAILED, error text in result.stderr). */
    public volatile String jobStderr;

    public ScaleSimulator(TestCerts cert) {
        super(cert);
        fileSystems.put("gpfs01", ConcurrentHashMap.newKeySet());
        // mmcrfs makes the root fileset: id 0, linked at the mount point, owning inode space 0 (§1a).
        filesets.put("root", new Fset("root", mount("gpfs01"), 0, true, 0, -1));
        fileSystems.get("gpfs01").add("root");
        for (String f : List.of("sales", "hr", "ops", "eng")) {
            fileset(f, mount("gpfs01") + "/" + f, null);
        }
    }

    /**
     * Links a fileset of gpfs01 at {@code junction} (under the mount point, nested junctions allowed): independent
     * (its own inode space) when {@code inodeSpaceOf} is null, else dependent, in the inode space of that
     * independent fileset (mmcrfileset --inode-space, §1a).
     */
    public synchronized ScaleSimulator fileset(String name, String junction, String inodeSpaceOf) {
        if (!junction.startsWith(mount("gpfs01") + "/") || filesets.containsKey(name)) {
            throw new IllegalArgumentException("a new fileset's junction lies under " + mount("gpfs01") + ": " + junction);
        }
        long id = filesets.size();
        Fset parent = filesets.values().stream().filter(f -> atOrUnder(junction, f.junction()))
                .max(java.util.Comparator.comparingInt(f -> f.junction().length())).orElseThrow();
        long space;
        if (inodeSpaceOf == null) {
            space = filesets.values().stream().mapToLong(Fset::inodeSpace).max().orElse(0) + 1;
        } else {
            Fset owner = filesets.get(inodeSpaceOf);
            if (owner == null || !owner.independent()) {
                throw new IllegalArgumentException(inodeSpaceOf + " is not an independent fileset");
            }
            space = owner.inodeSpace();
        }
        filesets.put(name, new Fset(name, normalize(junction), space, inodeSpaceOf == null, id, parent.id()));
        fileSystems.get("gpfs01").add(name);
        return this;
    }

    /** How many times the filesets were listed (GET …/filesets). */
    public long filesetLists() {
        return count("GET", V2 + "/filesystems/[^/]+/filesets");
    }

    /** Started by hand (close it when done), its jobs completing after {@code pollsToComplete} polls. */
    public static ScaleSimulator started(TestCerts cert, int pollsToComplete) {
        ScaleSimulator s = new ScaleSimulator(cert);
        s.pollsToComplete = pollsToComplete;
        s.start();
        return s;
    }

    /** How many snapshots the cluster holds. */
    public int created() {
        return snapshots().size();
    }

    /** §1.1: Basic auth on every request; only this user and password are accepted (any password when null). */
    public ScaleSimulator credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    public synchronized List<Snap> snapshots() {
        return List.copyOf(snapshots.values());
    }

    public synchronized Snap snapshot(String name) {
        return snapshots.values().stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
    }

    /** How many create requests (POST …/snapshots) arrived. */
    public long creates() {
        return count("POST", ".*/snapshots");
    }

    /** How many job status polls arrived. */
    public long polls() {
        return count("GET", V2 + "/jobs/.+");
    }

    /** A snapshot the cluster holds already (the admin's own, or an earlier action's), capturing the live files now. */
    public synchronized void has(String fileset, String name, String expirationTime) {
        has(fileset, name, expirationTime, Instant.now());
    }

    /** As {@link #has(String, String, String)}, created at {@code created} (its list item's "created", in UTC). */
    public synchronized void has(String fileset, String name, String expirationTime, Instant created) {
        String set = fileset == null ? "" : fileset;
        if (!set.isEmpty() && !fileSystems.get("gpfs01").contains(set)) {
            throw new IllegalArgumentException("no fileset " + set + " in gpfs01");
        }
        String key = key("gpfs01", set, name);
        snapshots.put(key, new Snap("gpfs01", set, name, expirationTime, STAMP.format(created)));
        captured.put(key, captureSnapshot("gpfs01", set));
    }

    /** A live file (its parent directories are implied); it must lie under a mount point. */
    public synchronized void file(String absolutePath, String content) {
        if (absolutePath == null || !absolutePath.startsWith("/") || content == null) {
            throw new IllegalArgumentException("a file needs an absolute path and content: " + absolutePath);
        }
        String p = normalize(absolutePath);
        if (mountOf(p) == null || structural(p)) {
            throw new IllegalArgumentException(p + " is not a file path under a mount point (" + mount("gpfs01") + "/…)");
        }
        if (ancestorIsFile(p) || hasUnder(live, p, false)) {
            throw new IllegalArgumentException(p + " would be a file and a directory at once");
        }
        live.put(p, content);
    }

    /** The live files at or under {@code underAbsolutePath}: path → content. */
    public synchronized SortedMap<String, String> files(String underAbsolutePath) {
        return capture(normalize(underAbsolutePath));
    }

    /** A live file, a directory implied by a file under it, or a mount/junction point (or a directory above one). */
    public synchronized boolean exists(String absolutePath) {
        String p = normalize(absolutePath);
        return structural(p) || hasUnder(live, p, true);
    }

    /** What the snapshot named {@code name} captured: absolute live-side path → content. */
    public synchronized SortedMap<String, String> snapshotFiles(String name) {
        for (var e : snapshots.entrySet()) {
            if (e.getValue().name().equals(name)) {
                return new TreeMap<>(captured.getOrDefault(e.getKey(), new TreeMap<>()));
            }
        }
        throw new IllegalArgumentException("no snapshot named " + name);
    }

    /** How many snapshotCopy requests (PUT …/snapshotCopy/…) arrived. */
    public long copies() {
        return count("PUT", V2 + "/filesystems/.+/snapshotCopy/.+");
    }

    @Override
    protected Answer handle(Call c) {
        if (guiDown) {
            return status(503, "Service Unavailable");
        }
        String auth = c.header("Authorization");
        if (auth == null || !auth.startsWith("Basic ")) {
            return violation("§1.1", c.method() + " " + c.path() + " without Basic authentication");
        }
        String[] up = new String(Base64.getDecoder().decode(auth.substring(6)), StandardCharsets.UTF_8).split(":", 2);
        if (!up[0].equals(user) || (password != null && !password.equals(up.length > 1 ? up[1] : ""))) {
            return status(401, "Unauthorized"); // §1.1: 401 unauthorized
        }
        if (c.method().equals("GET") && c.path().equals(V2 + "/info")) {
            return json(200, "{\"info\":{\"serverVersion\":\"5.2.3.0\",\"paths\":{}},\"status\":{\"code\":200}}");
        }
        if (c.method().equals("GET") && c.path().equals(V2 + "/jobs")) {
            ArrayNode list = Json.mapper().createArrayNode();
            jobs.values().forEach(j -> list.add(job(j)));
            ObjectNode body = Json.mapper().createObjectNode();
            body.set("jobs", list);
            return json(200, body.toString());
        }
        Matcher job = JOB.matcher(c.path());
        if (job.matches() && c.method().equals("GET")) {
            return poll(job.group(1));
        }
        Matcher copy = COPY.matcher(c.path());
        if (copy.matches() && c.method().equals("PUT")) {
            return copy(c, copy.group(1), copy.group(2) == null ? "" : copy.group(2), copy.group(3), copy.group(4));
        }
        Matcher owner = OWNER.matcher(c.path());
        if (owner.matches() && c.method().equals("GET")) {
            return owner(c, owner.group(1), owner.group(2));
        }
        Matcher s = SNAPSHOTS.matcher(c.path());
        if (s.matches()) {
            String unknown = unknown(s.group(1), s.group(2));
            if (unknown != null) {
                return status(400, unknown);
            }
            String fileset = s.group(2) == null ? "" : s.group(2);
            return switch (c.method() + (s.group(3) == null ? " list" : " one")) {
                case "GET list" -> list(s.group(1), fileset);
                case "POST list" -> create(c, s.group(1), fileset);
                case "GET one" -> one(s.group(1), fileset, s.group(3));
                case "DELETE one" -> delete(c, s.group(1), fileset, s.group(3));
                default -> violation("§1.2", c.method() + " " + c.path() + " is not a documented call");
            };
        }
        Matcher sets = FILESETS.matcher(c.path());
        if (sets.matches() && c.method().equals("GET")) {
            String unknown = unknown(sets.group(1), null);
            if (unknown != null) {
                return status(400, unknown);
            }
            ObjectNode body = Json.mapper().createObjectNode();
            ArrayNode list = body.putArray("filesets");
            filesets.values().forEach(f -> list.add(fsetNode(sets.group(1), f)));
            body.putObject("status").put("code", 200);
            return json(200, body.toString());
        }
        Matcher fs = FILESYSTEM.matcher(c.path());
        if (fs.matches() && c.method().equals("GET")) {
            String unknown = unknown(fs.group(1), fs.group(2));
            if (unknown != null) {
                return status(400, unknown);
            }
            ObjectNode body = Json.mapper().createObjectNode();
            if (fs.group(2) == null) {
                // CSI [V]: filesystems[].mount.mountPoint is where the file system is mounted.
                body.putArray("filesystems").addObject().put("name", fs.group(1)).putObject("mount")
                        .put("mountPoint", mount(fs.group(1))).put("status", "mounted");
            } else {
                body.putArray("filesets").add(fsetNode(fs.group(1), filesets.get(fs.group(2))));
            }
            body.putObject("status").put("code", 200);
            return json(200, body.toString());
        }
        return violation("§1.2", c.method() + " " + c.path() + " is not a documented call");
    }

    /** CSI FileSet_v2 / FilesetConfig_v2 [V] field names; values as mmlsfileset -Y gives them (§1a). */
    private static ObjectNode fsetNode(String fs, Fset f) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("filesetName", f.name()).put("filesystemName", fs);
        n.putObject("config").put("filesetName", f.name()).put("filesystemName", fs).put("path", f.junction())
                .put("inodeSpace", f.inodeSpace()).put("isInodeSpaceOwner", f.independent()).put("id", f.id())
                .put("parentId", f.parentId()).put("status", "Linked");
        return n;
    }

    /** §1.2: unknown file system or fileset → 400 "Invalid value in '…'" (EFSSG0072C for filesets). */
    private String unknown(String fs, String fileset) {
        if (!fileSystems.containsKey(fs)) {
            return "Invalid value in 'filesystemName'";
        }
        if (fileset != null && !fileSystems.get(fs).contains(fileset)) {
            return "EFSSG0072C Invalid value in 'filesetName'";
        }
        return null;
    }

    private Answer list(String fs, String fileset) {
        ArrayNode list = Json.mapper().createArrayNode();
        snapshots.values().stream().filter(x -> x.fileSystem().equals(fs) && x.fileset().equals(fileset))
                .forEach(x -> list.add(snap(x)));
        ObjectNode body = Json.mapper().createObjectNode();
        body.set("snapshots", list);
        body.putObject("status").put("code", 200);
        return json(200, body.toString());
    }

    private Answer one(String fs, String fileset, String name) {
        Snap x = snapshots.get(key(fs, fileset, name));
        if (x == null) {
            return status(400, "Invalid value in 'snapshotName'"); // [I] §1.2: get one, unknown name
        }
        ObjectNode body = Json.mapper().createObjectNode();
        body.putArray("snapshots").add(snap(x));
        body.putObject("status").put("code", 200);
        return json(200, body.toString());
    }

    /** §1.2 body {"snapshotName", "expirationTime"}; §1.3 202 with a RUNNING job; §5.1 collisions fail the job. */
    private Answer create(Call c, String fs, String fileset) {
        String type = c.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return violation("§1.2", "snapshot create without Content-Type application/json");
        }
        JsonNode body = c.json();
        if (body == null || !body.path("snapshotName").isTextual() || !SNAPSHOT_NAME.matcher(body.path("snapshotName").asText()).matches()) {
            return violation("§1.2/§5.1", "snapshot create without a safe snapshotName: " + c.body());
        }
        String exp = body.path("expirationTime").asText(null);
        if (exp != null && !EXPIRATION.matcher(exp).matches()) {
            return violation("§1.2", "expirationTime must be yyyy-mm-dd-hh:mm, was " + exp);
        }
        String name = body.get("snapshotName").asText();
        boolean taken = snapshots.containsKey(key(fs, fileset, name)) || jobs.values().stream()
                .anyMatch(j -> j.creates != null && j.status.equals("RUNNING") && j.creates.name().equals(name));
        long count = snapshots.values().stream().filter(x -> x.fileSystem().equals(fs) && x.fileset().equals(fileset)).count();
        Snap planned = new Snap(fs, fileset, name, expirationOverride != null ? expirationOverride : exp, null);
        Job j = new Job("POST", c.path(), c.body(), planned, null);
        Fset target = fileset.isEmpty() ? null : filesets.get(fileset);
        if (jobStderr != null) {
            j.stderr = jobStderr;
        } else if (target != null && !target.independent()) {
            // §1a: fileset snapshots are of independent filesets only [doc mmcrsnapshot]; message text [I].
            j.stderr = "mmcrsnapshot: Fileset " + fileset + " is a dependent fileset; only independent filesets can have fileset snapshots.";
        } else if (taken) {
            j.stderr = "EFSSP1102C The snapshot " + name + " already exists."; // §1.3/§5.1: the job fails
        } else if (count >= LIMIT) {
            j.stderr = "EFSSG0740C There are not enough resources available to create a new snapshot."; // §5.1 limit
        }
        jobs.put(j.id, j);
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putArray("jobs").add(job(j));
        reply.putObject("status").put("code", 202).put("message", "The request was accepted for processing.");
        return json(202, reply.toString());
    }

    /** §5.1: a Safeguarded snapshot cannot be deleted before it expires: the job FAILS. */
    private Answer delete(Call c, String fs, String fileset, String name) {
        Snap x = snapshots.get(key(fs, fileset, name));
        if (x == null) {
            return status(400, "Invalid value in 'snapshotName'");
        }
        Job j = new Job("DELETE", c.path(), null, null, key(fs, fileset, name));
        if (x.expirationTime() != null && LocalDateTime.parse(x.expirationTime(), EXPIRES).toInstant(ZoneOffset.UTC).isAfter(Instant.now())) {
            j.stderr = "EFSSG2010C Snapshot " + name + " is immutable until " + x.expirationTime() + " and cannot be deleted.";
        }
        jobs.put(j.id, j);
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putArray("jobs").add(job(j));
        return json(202, reply.toString());
    }

    /** §1.3: RUNNING until done; COMPLETED (the snapshot now exists) or FAILED with stderr. */
    private Answer poll(String id) {
        Job j;
        try {
            j = jobs.get(Long.parseLong(id));
        } catch (NumberFormatException e) {
            j = null;
        }
        if (j == null) {
            return status(400, "Invalid value in 'jobId'");
        }
        if (j.status.equals("RUNNING") && ++j.polls > pollsToComplete) {
            if (j.stderr == null && j.copies != null) {
                j.stderr = runCopy(j.copies); // the copy runs as the job ends, against the tree as it is then
            }
            if (j.stderr != null) {
                j.status = "FAILED";
            } else {
                j.status = "COMPLETED";
                if (j.creates != null) {
                    Snap p = j.creates;
                    String key = key(p.fileSystem(), p.fileset(), p.name());
                    snapshots.put(key, new Snap(p.fileSystem(), p.fileset(), p.name(), p.expirationTime(), STAMP.format(Instant.now())));
                    captured.put(key, captureSnapshot(p.fileSystem(), p.fileset()));
                } else if (j.deletes != null) {
                    snapshots.remove(j.deletes);
                    captured.remove(j.deletes);
                }
            }
        }
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putArray("jobs").add(job(j));
        reply.putObject("status").put("code", 200);
        return json(200, reply.toString());
    }

    /**
     * RECOVER-FACTS.md / storage-apis.md §1.2, CSI CopyFsetSnapshotPath [V] (the file-system twin [I]): PUT with a
     * JSON body {targetPath, nodeclassName?, targetFilesystem?, targetFileset?, force?}; srcPath relative to the
     * fileset's junction (global: the mount point) with a leading '/'; §1.3: 202 with a RUNNING job.
     */
    private Answer copy(Call c, String fs, String fileset, String snap, String srcPath) {
        String type = c.header("Content-Type");
        if (type == null || !type.startsWith("application/json")) {
            return violation("§1.2", "snapshotCopy without Content-Type application/json");
        }
        if (!ONE_SEGMENT_TAIL.matcher(c.rawPath()).matches()) {
            return violation("§1.2", "snapshotCopy srcPath must be one URL segment with '/' sent as %2F: " + c.rawPath());
        }
        if (!srcPath.startsWith("/")) {
            return violation("§1.2", "snapshotCopy srcPath must start with '/' (CSI passes \"/\" + dir): " + srcPath);
        }
        JsonNode body = c.json();
        if (body == null || !body.isObject()) {
            return violation("§1.2", "snapshotCopy without a JSON object body: " + c.body());
        }
        for (Iterator<String> names = body.fieldNames(); names.hasNext(); ) {
            String field = names.next();
            if (!COPY_FIELDS.contains(field)) {
                return violation("§1.2", "snapshotCopy body field " + field + " is not documented (" + COPY_FIELDS + ")");
            }
        }
        if (!body.path("targetPath").isTextual() || !body.get("targetPath").asText().startsWith("/")) {
            return violation("§1.2", "snapshotCopy needs targetPath, an absolute path in the cluster: " + c.body());
        }
        for (String text : List.of("nodeclassName", "targetFilesystem", "targetFileset")) {
            if (body.has(text) && !body.get(text).isTextual()) {
                return violation("§1.2", "snapshotCopy " + text + " must be a string: " + c.body());
            }
        }
        if (body.has("force") && !body.get("force").isBoolean()) {
            return violation("§1.2", "snapshotCopy force must be a boolean: " + c.body());
        }
        String target = normalize(body.get("targetPath").asText());
        if (mountOf(target) == null) {
            // [I] "an absolute path in the cluster, e.g. /gpfs/gpfs01/sales/x": inside a mounted file system.
            return violation("§1.2", "snapshotCopy targetPath is not in a file system of the cluster: " + target);
        }
        String unknown = unknown(fs, fileset.isEmpty() ? null : fileset);
        if (unknown != null) {
            return status(400, unknown);
        }
        String key = key(fs, fileset, snap);
        if (!snapshots.containsKey(key)) {
            // [I] §1.2 family; a fileset snapshot asked for through the file-system path (or the reverse) is unknown there.
            return status(400, "Invalid value in 'snapshotName'");
        }
        Job j = new Job("PUT", c.rawPath(), c.body(), null, null);
        j.copies = new Copy(key, root(fs, fileset), srcPath, target, body.path("force").asBoolean(false));
        if (jobStderr != null) {
            j.stderr = jobStderr;
        }
        jobs.put(j.id, j);
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putArray("jobs").add(job(j));
        reply.putObject("status").put("code", 202).put("message", "The request was accepted for processing.");
        return json(202, reply.toString());
    }

    /**
     * The copy as its job ends: null when done, else the job's stderr line. Failure when the source is not in the
     * snapshot: EFSSG0264C (storage-apis.md §1.3 id [V], placement [I]); when the target exists and force is not
     * true: EFSSG0275C [I: id and text assumed, conservative, a client must not rely on them]; when a copied file
     * would land on a directory or under a file: EFSSG0632C, command execution aborted (id [V] §1.3, use [I]).
     */
    private String runCopy(Copy cp) {
        SortedMap<String, String> snap = captured.get(cp.snapshot());
        String src = normalize(cp.root() + cp.srcPath());
        if (snap == null || !atOrUnder(src, cp.root()) || !(structural(src) || hasUnder(snap, src, true))) {
            return "EFSSG0264C The path " + cp.srcPath() + " does not exist.";
        }
        if (!cp.force() && exists(cp.target())) {
            return "EFSSG0275C The target path " + cp.target() + " already exists.";
        }
        SortedMap<String, String> out = new TreeMap<>();
        if (snap.containsKey(src)) {
            out.put(cp.target(), snap.get(src)); // a single file is copied to targetPath itself
        } else {
            snap.forEach((k, v) -> {
                if (k.startsWith(src + "/")) {
                    out.put(cp.target() + k.substring(src.length()), v);
                }
            });
        }
        for (String dest : out.keySet()) {
            if (structural(dest) || hasUnder(live, dest, false) || ancestorIsFile(dest)) {
                return "EFSSG0632C The command execution was aborted: " + dest + " is a directory or lies under a file.";
            }
        }
        live.putAll(out);
        return null;
    }

    /** CSI CheckIfFileDirPresent [V]: 200 with the owner when the path exists; else 400 [I] "File not found". */
    private Answer owner(Call c, String fs, String relPath) {
        if (!ONE_SEGMENT_TAIL.matcher(c.rawPath()).matches()) {
            return violation("§1.2", "owner relPath must be one URL segment with '/' sent as %2F: " + c.rawPath());
        }
        if (!relPath.startsWith("/")) {
            return violation("§1.2", "owner relPath must start with '/' (relative to the mount point): " + relPath);
        }
        String unknown = unknown(fs, null);
        if (unknown != null) {
            return status(400, unknown);
        }
        String p = normalize(mount(fs) + relPath);
        if (!atOrUnder(p, mount(fs)) || !exists(p)) {
            return status(400, "File not found: " + p);
        }
        return json(200, "{\"owner\":{\"user\":\"root\",\"uid\":0,\"group\":\"root\",\"gid\":0},\"status\":{\"code\":200}}");
    }

    private String mount(String fs) {
        return mountRoot + "/" + fs;
    }

    /**
     * Mounts the file systems under {@code root} instead of /gpfs (IBM's examples mount at /ibm/&lt;fs&gt;, as the
     * audit fixtures' paths do); every junction moves with it. Before any file or snapshot exists.
     */
    public synchronized ScaleSimulator mountedUnder(String root) {
        if (!live.isEmpty() || !snapshots.isEmpty()) {
            throw new IllegalStateException("mount before any file or snapshot exists");
        }
        String old = mount("gpfs01");
        mountRoot = root;
        filesets.replaceAll((n, f) -> new Fset(f.name(), mount("gpfs01") + f.junction().substring(old.length()),
                f.inodeSpace(), f.independent(), f.id(), f.parentId()));
        return this;
    }

    /** Where a snapshot's files live: the fileset's junction, or for a global snapshot ("" fileset) the mount point. */
    private String root(String fs, String fileset) {
        return fileset == null || fileset.isEmpty() ? mount(fs) : filesets.get(fileset).junction();
    }

    /**
     * What a snapshot keeps (§1a): a global one every file under the mount point; a fileset one the files of its
     * inode space, i.e. under its junction but not under the junction of a nested fileset with another inode space.
     */
    private SortedMap<String, String> captureSnapshot(String fs, String fileset) {
        SortedMap<String, String> all = capture(root(fs, fileset));
        if (fileset == null || fileset.isEmpty()) {
            return all;
        }
        Fset own = filesets.get(fileset);
        all.keySet().removeIf(p -> filesets.values().stream().anyMatch(f -> f.inodeSpace() != own.inodeSpace()
                && atOrUnder(f.junction(), own.junction()) && atOrUnder(p, f.junction())));
        return all;
    }

    /** The live files at or under {@code root}, copied (what a snapshot keeps). */
    private SortedMap<String, String> capture(String root) {
        SortedMap<String, String> out = new TreeMap<>();
        live.forEach((k, v) -> {
            if (atOrUnder(k, root)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The file system mounted at or above {@code p}, or null. */
    private String mountOf(String p) {
        return fileSystems.keySet().stream().filter(fs -> atOrUnder(p, mount(fs))).findFirst().orElse(null);
    }

    /** A directory that exists without files: a mount point, a junction, or a directory above a mount point. */
    private boolean structural(String p) {
        for (var e : fileSystems.entrySet()) {
            String m = mount(e.getKey());
            if (atOrUnder(m, p) || filesets.values().stream().anyMatch(f -> p.equals(f.junction()))) {
                return true;
            }
        }
        return false;
    }

    private boolean ancestorIsFile(String p) {
        for (int i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
            if (live.containsKey(p.substring(0, i))) {
                return true;
            }
        }
        return false;
    }

    /** A file at {@code p} (when {@code self}) or any file under it. */
    private static boolean hasUnder(SortedMap<String, String> files, String p, boolean self) {
        return files.keySet().stream().anyMatch(k -> (self && k.equals(p)) || (!k.equals(p) && atOrUnder(k, p)));
    }

    private static boolean atOrUnder(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }

    /** '/'-separated, no empty, '.' or '..' segments (as the file system resolves them). */
    private static String normalize(String p) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        return "/" + String.join("/", parts);
    }

    private ObjectNode job(Job j) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("jobId", j.id).put("status", j.status).put("submitted", "2026-11-24 10:15:03,120")
                .put("completed", j.status.equals("RUNNING") ? "N/A" : "2026-11-24 10:15:05,480");
        ObjectNode req = n.putObject("request").put("type", j.type).put("url", j.url);
        if (j.data != null) {
            req.put("data", j.data);
        }
        ObjectNode result = n.putObject("result");
        if (!j.status.equals("RUNNING")) {
            result.put("exitCode", j.status.equals("FAILED") ? 1 : 0);
            ArrayNode err = result.putArray("stderr");
            if (j.status.equals("FAILED")) {
                err.add(j.stderr);
            }
        }
        n.putArray("pids");
        return n;
    }

    private ObjectNode snap(Snap x) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("snapshotName", x.name()).put("filesystemName", x.fileSystem()).put("filesetName", x.fileset())
                .put("status", "Valid").put("created", x.created()).put("snapType", "Safeguarded");
        if (x.expirationTime() != null) {
            n.put("expirationTime", longExpirationFormat
                    ? x.expirationTime().substring(0, 10) + " " + x.expirationTime().substring(11) + ":00,000" : x.expirationTime());
        }
        return n;
    }

    private static String key(String fs, String fileset, String name) {
        return fs + "/" + (fileset == null ? "" : fileset) + "/" + name;
    }

    private static Answer status(int code, String message) {
        return json(code, "{\"status\":{\"code\":" + code + ",\"message\":" + Json.mapper().valueToTree(message) + "}}");
    }

    /** Names of all snapshots, for assertions. */
    public synchronized List<String> names() {
        List<String> out = new ArrayList<>();
        snapshots.values().forEach(s -> out.add(s.name()));
        return out;
    }
}
