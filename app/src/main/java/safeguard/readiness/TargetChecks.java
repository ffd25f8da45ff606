package safeguard.readiness;

import java.util.ArrayList;
import java.util.List;
import safeguard.http.CallRecord;
import safeguard.scale.ScaleClient;
import safeguard.targets.ConnectionTest;
import safeguard.targets.Connector;
import safeguard.targets.Target;
import safeguard.targets.TargetService;

/**
 * Per storage target, with read-only calls only (the connection test, then Scale's snapshot lists): reachable, TLS
 * trusted as configured, credentials accepted, allowed to do what the action needs, and (Scale) room below the
 * 256-snapshot limit of each fileset. The chain stops at the first failure: what follows cannot be known.
 */
final class TargetChecks {
    /** Scale refuses the 257th snapshot of a fileset (storage-apis.md §1); warn well before the app's own guard. */
    static final int SCALE_LIMIT = 256;
    static final int HEADROOM_WARNING = 200;

    private final TargetService targets;
    private final Connector connector;

    TargetChecks(TargetService targets, Connector connector) {
        this.targets = targets;
        this.connector = connector;
    }

    List<Check> run() {
        List<Check> out = new ArrayList<>();
        if (targets.all().isEmpty()) {
            out.add(Check.failed("targets", "Safeguard Responder", "no storage target is configured, so a rule that "
                    + "fires protects nothing: add one in Targets"));
        }
        for (Target t : targets.all()) {
            out.addAll(of(t));
        }
        return out;
    }

    List<Check> of(Target t) {
        String s = t.name();
        List<Check> out = new ArrayList<>();
        if (t.dryRun()) {
            // A dry-run target is never called, not even to be read: its actions only journal what they would do.
            out.add(Check.failed("dry-run", s, "the target is in dry-run: its actions are journaled and never reach the "
                    + "storage system, so nothing is protected (and nothing is checked); turn dry-run off to protect it"));
            return out;
        }
        ConnectionTest test;
        try {
            test = connector.test(s);
        } catch (RuntimeException e) {
            out.add(Check.failed("reachable", s, "could not start a connection: " + e.getMessage()));
            return out;
        }
        String where = t.host() + ":" + t.port();
        CallRecord last = test.calls().isEmpty() ? null : test.calls().get(test.calls().size() - 1);
        if (!test.ok() && (last == null || last.status() == 0)) {
            String why = test.error() == null ? "no answer" : test.error();
            if (isTls(last, why)) {
                out.add(Check.ok("reachable", s, where + " accepts connections"));
                out.add(Check.failed("tls", s, "TLS trust (" + t.tls().mode() + ") refused the certificate " + where
                        + " presented: " + why + ". If the certificate was renewed, test the target and pin or "
                        + "trust the new one in Targets."));
            } else {
                out.add(Check.failed("reachable", s, where + " did not answer: " + why + ". Check the host, the "
                        + "port, the firewall (or the Data Gateway mapping on QRadar on Cloud) and that the service runs."));
            }
            return out;
        }
        out.add(Check.ok("reachable", s, where + " answered in " + test.roundTripMs() + " ms"));
        out.add(tls(t, s, test));
        if (!test.ok() && last.status() == 401) {
            out.add(Check.failed("credentials", s, test.error() + ". Update the password (or user) in Targets; it "
                    + "was probably rotated on the storage system."));
            return out;
        }
        out.add(Check.ok("credentials", s, "user '" + t.username() + "' signed in"));
        if (!test.ok()) {
            out.add(Check.failed("allowed", s, test.error() + ". " + allowedHint(t)));
            return out;
        }
        String warning = test.found() == null ? null : test.found().get("warning");
        if (warning != null) {
            // CSM: the session is there but its state does not offer the command an action would run.
            out.add(Check.failed("allowed", s, warning + " (offered now: " + test.found().get("availableCommands")
                    + "). Bring the session to a state that offers it in Copy Services Manager."));
            return out;
        }
        out.add(Check.ok("allowed", s, allowedOk(t)));
        if (Target.SCALE.equals(t.kind())) {
            out.addAll(headroom(t));
        }
        return out;
    }

    private static boolean isTls(CallRecord last, String why) {
        String text = (last == null || last.outcome() == null ? "" : last.outcome()) + " " + why;
        return text.contains("certificate") || text.contains("TLS");
    }

    private static Check tls(Target t, String s, ConnectionTest test) {
        String fp = test.serverCertificateSha256();
        return switch (t.tls().mode()) {
            case "insecure" -> Check.warning("tls", s, "TLS verification is OFF for this target: anyone on the path "
                    + "could pose as it. Pin its certificate (SHA-256 " + fp + ") in Targets.");
            case "pinned" -> Check.ok("tls", s, "the certificate matches the pinned SHA-256");
            default -> Check.ok("tls", s, "the certificate is trusted by the configured CAs");
        };
    }

    private static String allowedOk(Target t) {
        return switch (t.kind()) {
            case Target.SCALE -> "file system " + t.scale().fileSystem() + (t.scale().filesets().isEmpty() ? ""
                    : " and fileset(s) " + String.join(", ", t.scale().filesets())) + " can be read";
            case Target.CSM -> t.csm().scheduledTask() != null && t.csm().session() == null
                    ? "scheduled task '" + t.csm().scheduledTask() + "' exists"
                    : "session '" + t.csm().session() + "' exists and offers " + t.csm().command();
            default -> "job '" + t.cdm().jobName() + "' exists";
        };
    }

    private static String allowedHint(Target t) {
        return switch (t.kind()) {
            case Target.SCALE -> "Check the file system and filesets named in the target exist and that the user's "
                    + "role may read them and take snapshots (SnapAdmin or higher).";
            case Target.CSM -> "Check the session or scheduled task named in the target exists and that the user "
                    + "may run its commands (operator role for the session).";
            default -> "Check the job named in the target exists and that the user may run it.";
        };
    }

    /** Each fileset's snapshots (a global snapshot's when the target has none), against Scale's 256. */
    private List<Check> headroom(Target t) {
        List<Check> out = new ArrayList<>();
        List<String> filesets = t.scale().filesets().isEmpty() ? java.util.Collections.singletonList(null)
                : t.scale().filesets();
        for (String f : filesets) {
            String subject = f == null ? t.name() : t.name() + "/" + f;
            int n;
            try {
                n = connector.snapshots(t.name(), f).size();
            } catch (RuntimeException e) {
                out.add(Check.failed("snapshot-headroom", subject, "cannot list snapshots: " + e.getMessage()
                        + ". The fileset must be independent (own inode space) for fileset snapshots."));
                continue;
            }
            String count = n + " of Scale's " + SCALE_LIMIT + " snapshots";
            if (n >= ScaleClient.CAPACITY_GUARD) {
                out.add(Check.failed("snapshot-headroom", subject, count + ": the app refuses to take more (it leaves "
                        + (SCALE_LIMIT - ScaleClient.CAPACITY_GUARD) + " for the admin). Delete expired snapshots."));
            } else if (n >= HEADROOM_WARNING) {
                out.add(Check.warning("snapshot-headroom", subject, count + ": the app stops at "
                        + ScaleClient.CAPACITY_GUARD + ". Delete expired snapshots or shorten the retention."));
            } else {
                out.add(Check.ok("snapshot-headroom", subject, count));
            }
        }
        return out;
    }
}
