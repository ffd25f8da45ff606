package safeguard.scale;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
 * Storage Scale management API v2 (storage-apis.md §1), stateful: a snapshot POST creates a job that completes
 * after {@link #pollsToComplete} polls of it, and only then does the snapshot exist, with its expirationTime;
 * a second create of a name that exists or is being created fails its job with EFSSP1102C; deleting a
 * snapshot before its expiration fails its job (Safeguarded Copy, §5.1). The cluster's time zone is UTC.
 */
public final class ScaleSimulator extends StorageSimulator {
    static final String V2 = "/scalemgmt/v2";
    private static final Pattern SNAPSHOTS = Pattern.compile(V2 + "/filesystems/([^/]+)(?:/filesets/([^/]+))?/snapshots(?:/([^/]+))?");
    private static final Pattern FILESYSTEM = Pattern.compile(V2 + "/filesystems/([^/]+)(?:/filesets/([^/]+))?");
    private static final Pattern JOB = Pattern.compile(V2 + "/jobs/([^/]+)");
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

    private final class Job {
        final long id;
        final String url;
        final String data;
        final String type;
        final Snap creates;
        final String deletes;
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
    private final Map<String, Snap> snapshots = new LinkedHashMap<>();
    private final Map<Long, Job> jobs = new LinkedHashMap<>();
    private long nextJob = 1_000_000_000_012L;
    private String user = "snapadmin";
    private String password;
    /** How many polls of a job answer RUNNING before it completes; 0 completes at the first poll. */
    public volatile int pollsToComplete = 1;
    /** When set, the cluster keeps snapshots until this time instead of the one asked for (a retention policy). */
    public volatile String expirationOverride;
    /** When true, expirationTime is answered as some releases spell it ("2024-05-09 10:15:00,000", §1.3: parse leniently). */
    public volatile boolean longExpirationFormat;
    /** When set, create jobs fail with this stderr line (§1.3: FAILED, error text in result.stderr). */
    public volatile String jobStderr;

    public ScaleSimulator(TestCerts cert) {
        super(cert);
        fileSystems.put("gpfs01", Set.of("sales", "hr", "ops", "eng"));
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

    /** A snapshot the cluster holds already (the admin's own, or an earlier action's). */
    public synchronized void has(String fileset, String name, String expirationTime) {
        snapshots.put(key("gpfs01", fileset, name), new Snap("gpfs01", fileset == null ? "" : fileset, name, expirationTime,
                STAMP.format(Instant.now())));
    }

    @Override
    protected Answer handle(Call c) {
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
        Matcher fs = FILESYSTEM.matcher(c.path());
        if (fs.matches() && c.method().equals("GET")) {
            String unknown = unknown(fs.group(1), fs.group(2));
            return unknown != null ? status(400, unknown)
                    : json(200, "{\"filesystems\":[{\"name\":\"" + fs.group(1) + "\"}],\"status\":{\"code\":200}}");
        }
        return violation("§1.2", c.method() + " " + c.path() + " is not a documented call");
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
        if (jobStderr != null) {
            j.stderr = jobStderr;
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
            if (j.stderr != null) {
                j.status = "FAILED";
            } else {
                j.status = "COMPLETED";
                if (j.creates != null) {
                    Snap p = j.creates;
                    snapshots.put(key(p.fileSystem(), p.fileset(), p.name()), new Snap(p.fileSystem(), p.fileset(), p.name(),
                            p.expirationTime(), STAMP.format(Instant.now())));
                } else if (j.deletes != null) {
                    snapshots.remove(j.deletes);
                }
            }
        }
        ObjectNode reply = Json.mapper().createObjectNode();
        reply.putArray("jobs").add(job(j));
        reply.putObject("status").put("code", 200);
        return json(200, reply.toString());
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
