package safeguard.targets;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import safeguard.InvalidInputException;
import safeguard.http.PeerTrust;

/**
 * Checks a target before anything is stored; every failure names the field. Name rules follow the storage
 * systems: Scale device and fileset names may not hold ':' or ',' (the CLI's separators) nor '/' or spaces.
 */
final class TargetValidator {
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?(?:\\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");
    static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:.]{2,45}]?");
    static final Pattern SCALE_DEVICE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,62}");
    static final Pattern SCALE_FILESET = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,254}");
    static final Pattern SNAPSHOT_PREFIX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,39}");
    static final Pattern SHA256 = Pattern.compile("(?:[0-9A-Fa-f]{2}:?){31}[0-9A-Fa-f]{2}");
    static final int MIN_CONFIRM_SECONDS = 5;
    static final int MAX_CONFIRM_SECONDS = 300;
    static final Pattern SAFE_TEXT = Pattern.compile("[^\\p{Cntrl}]{1,128}");
    /** Names the storage systems' APIs put into URL paths (sessions, tasks, jobs): never a dot segment. */
    static final Pattern UPSTREAM_NAME = Pattern.compile("(?!\\.{1,2}$)[^\\p{Cntrl}]{1,128}");
    static final String NAME_RULE = "1-128 characters, no control characters, not '.' or '..'";
    static final Map<String, Integer> DEFAULT_PORTS = Map.of(Target.SCALE, 443, Target.CSM, 9559, Target.CDM, 8443);
    static final int MAX_RETENTION_HOURS = 24 * 3650;

    private TargetValidator() {
    }

    /** The validated target, password still plain (the service seals it). */
    static Target check(TargetInput in, String existingSealedPassword) {
        String kind = require("kind", in.kind());
        if (!DEFAULT_PORTS.containsKey(kind)) {
            throw new InvalidInputException("kind", "kind must be one of scale, csm, cdm");
        }
        String name = match("name", require("name", in.name()), NAME,
                "1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        String host = require("host", in.host()).trim();
        if (!HOSTNAME.matcher(host).matches() && !(host.contains(":") && IPV6.matcher(host).matches())) {
            throw new InvalidInputException("host", "host must be a host name or IP address, without scheme or path");
        }
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        int port = in.port() == null ? DEFAULT_PORTS.get(kind) : range("port", in.port(), 1, 65535);
        String username = match("username", require("username", in.username()), SAFE_TEXT,
                "1-128 characters, no control characters");
        if (existingSealedPassword == null && (in.password() == null || in.password().isEmpty())) {
            throw new InvalidInputException("password", "password is required");
        }
        Tls tls = tls(in.tls());
        int connect = in.connectTimeoutSeconds() == null ? 10 : range("connectTimeoutSeconds", in.connectTimeoutSeconds(), 1, 120);
        int request = in.requestTimeoutSeconds() == null ? 60 : range("requestTimeoutSeconds", in.requestTimeoutSeconds(), 1, 600);
        ScaleSettings scale = null;
        CsmSettings csm = null;
        CdmSettings cdm = null;
        switch (kind) {
            case Target.SCALE -> scale = scale(in.scale());
            case Target.CSM -> csm = csm(in.csm());
            default -> cdm = cdm(in.cdm());
        }
        if ((in.scale() != null && scale == null) || (in.csm() != null && csm == null) || (in.cdm() != null && cdm == null)) {
            throw new InvalidInputException(kind, "settings for another kind of target were given");
        }
        // A bound on how long an action may hold the target's queue while it confirms its copy.
        int confirm = in.confirmSeconds() == null ? Target.DEFAULT_CONFIRM_SECONDS
                : range("confirmSeconds", in.confirmSeconds(), MIN_CONFIRM_SECONDS, MAX_CONFIRM_SECONDS);
        return new Target(kind, name, host, port, username, existingSealedPassword, tls, connect, request, scale, csm, cdm,
                Boolean.TRUE.equals(in.dryRun()), confirm);
    }

    private static Tls tls(Tls in) {
        if (in == null || in.mode() == null) {
            return in == null ? Tls.VERIFY : new Tls("verify", pem(in.caPem()), null);
        }
        return switch (in.mode()) {
            case "verify" -> new Tls("verify", pem(in.caPem()), null);
            case "pinned" -> {
                String pin = match("tls.pinnedSha256", require("tls.pinnedSha256", in.pinnedSha256()).strip(), SHA256,
                        "a SHA-256 fingerprint: 64 hex digits, colons allowed");
                yield new Tls("pinned", null, PeerTrust.normalise(pin));
            }
            case "insecure" -> new Tls("insecure", null, null);
            default -> throw new InvalidInputException("tls.mode", "tls.mode must be verify, pinned or insecure");
        };
    }

    private static String pem(String pem) {
        if (pem == null || pem.isBlank()) {
            return null;
        }
        try {
            var certs = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
            if (certs.isEmpty()) {
                throw new InvalidInputException("tls.caPem", "tls.caPem holds no certificate");
            }
            return pem.strip() + "\n";
        } catch (java.security.cert.CertificateException e) {
            throw new InvalidInputException("tls.caPem", "tls.caPem is not a PEM certificate");
        }
    }

    private static ScaleSettings scale(ScaleSettings s) {
        if (s == null) {
            throw new InvalidInputException("scale.fileSystem", "scale.fileSystem is required");
        }
        String fs = match("scale.fileSystem", require("scale.fileSystem", s.fileSystem()), SCALE_DEVICE,
                "a Scale device name: letters, digits, '_', '.', '-' (no ':' ',' '/' or spaces)");
        List<String> filesets = names("scale.filesets", s.filesets(), SCALE_FILESET,
                "a Scale fileset name: letters, digits, '_', '.', '-' (no ':' ',' '/' or spaces)");
        String def = s.defaultFileset();
        if (def != null && !filesets.contains(def)) {
            throw new InvalidInputException("scale.defaultFileset", "scale.defaultFileset must be one of scale.filesets");
        }
        String prefix = s.snapshotPrefix() == null ? "sgc" : match("scale.snapshotPrefix", s.snapshotPrefix(),
                SNAPSHOT_PREFIX, "1-40 letters, digits, '.', '_' or '-'");
        int retention = s.retentionHours() == null ? 168 : range("scale.retentionHours", s.retentionHours(), 1, MAX_RETENTION_HOURS);
        Integer interval = s.minIntervalSeconds() == null ? null : range("scale.minIntervalSeconds", s.minIntervalSeconds(), 0, 86_400);
        String zone = s.clusterTimeZone() == null ? "UTC" : s.clusterTimeZone();
        try {
            java.time.ZoneId.of(zone);
        } catch (java.time.DateTimeException e) {
            throw new InvalidInputException("scale.clusterTimeZone", "scale.clusterTimeZone is not a time zone id (e.g. Europe/Berlin)");
        }
        return new ScaleSettings(fs, def, filesets, prefix, retention, interval, zone,
                Boolean.TRUE.equals(s.globalOutsideFilesets()) ? Boolean.TRUE : null);
    }

    private static CsmSettings csm(CsmSettings c) {
        if (c == null || (blank(c.session()) && blank(c.scheduledTask()))) {
            throw new InvalidInputException("csm.session", "csm.session (or csm.scheduledTask) is required");
        }
        String session = blank(c.session()) ? null : match("csm.session", c.session().trim(), UPSTREAM_NAME, NAME_RULE);
        String task = blank(c.scheduledTask()) ? null : match("csm.scheduledTask", c.scheduledTask().trim(), UPSTREAM_NAME, NAME_RULE);
        String command = blank(c.command()) ? "Backup" : match("csm.command", c.command().trim(), SAFE_TEXT, "1-128 characters");
        return new CsmSettings(session, session == null ? null : command, task,
                names("csm.allowedSessions", c.allowedSessions(), UPSTREAM_NAME, NAME_RULE));
    }

    private static CdmSettings cdm(CdmSettings c) {
        if (c == null || blank(c.jobName())) {
            throw new InvalidInputException("cdm.jobName", "cdm.jobName is required");
        }
        String job = match("cdm.jobName", c.jobName().trim(), UPSTREAM_NAME, NAME_RULE);
        int poll = c.pollIntervalSeconds() == null ? 10 : range("cdm.pollIntervalSeconds", c.pollIntervalSeconds(), 1, 300);
        return new CdmSettings(job, poll, names("cdm.allowedJobs", c.allowedJobs(), UPSTREAM_NAME, NAME_RULE));
    }

    /** Each element checked and named by index ({@code scale.filesets[2]}); a null element is refused too. */
    private static List<String> names(String field, List<String> values, Pattern p, String rule) {
        if (values == null) {
            return List.of();
        }
        for (int i = 0; i < values.size(); i++) {
            String element = field + "[" + i + "]";
            match(element, require(element, values.get(i)), p, rule);
        }
        return List.copyOf(values);
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }

    private static String require(String field, String value) {
        if (blank(value)) {
            throw new InvalidInputException(field, field + " is required");
        }
        return value;
    }

    private static String match(String field, String value, Pattern p, String rule) {
        if (!p.matcher(value).matches()) {
            throw new InvalidInputException(field, field + " must be " + rule);
        }
        return value;
    }

    private static int range(String field, int v, int min, int max) {
        if (v < min || v > max) {
            throw new InvalidInputException(field, field + " must be between " + min + " and " + max);
        }
        return v;
    }
}
