package safeguard.csm;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;
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
 * IBM Copy Services Manager REST API (DS8000 Safeguarded Copy): form-encoded token login, {@code X-Auth-Token}
 * on every call (a token kept per target between actions, renewed once on 401). Success of a command is judged
 * by the severity letter of the reply's {@code msg} (I, W fine; E, S failed); a Backup is confirmed by a new
 * entry in the session's backups, a scheduled task by a finished run newer than the request — each within the
 * target's confirmation bound. A resumed action first adopts a backup (or task run) newer than its acceptance.
 */
public final class CsmClient {
    private static final String BASE = "/CSM/web";

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;
    private final SessionCalls calls;

    public CsmClient(Upstream up, String user, String password, PollPolicy poll, SessionCache.Slot session) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
        this.calls = new SessionCalls(up, "X-Auth-Token", Map.of("Accept-Language", "en-US"), this::login, session,
                "CSM", user);
    }

    /** storage-apis.md §2.1: POST /system/v1/tokens, form username/password, JSON {"token": …}. */
    private String login() {
        String path = BASE + "/system/v1/tokens";
        Upstream.Reply r = up.send("login", "POST", path, h -> h.post(up.url(path))
                .header("Accept-Language", "en-US")
                .field("username", user).field("password", password));
        String t = r.json().path("token").asText(null);
        if (!r.ok() || t == null) {
            Optional<safeguard.http.Fault> f = Faults.ofStatus(r.status(), "CSM", user, CsmReplies.text(r.json()));
            if (f.isPresent()) {
                throw UpstreamException.of(f.get(), r.status());
            }
            String why = CsmReplies.text(r.json());
            throw new UpstreamException(r.status(), "CSM login refused (HTTP " + r.status() + ")"
                    + (why.isEmpty() ? "" : ": " + why), r.body());
        }
        return t;
    }

    /**
     * A Safeguarded backup as the session lists it; {@code time} in epoch milliseconds, or null when not shown;
     * {@code valid} null when not shown.
     */
    public record Backup(String id, Long time, Boolean valid) {
    }

    /**
     * Runs a session command (Backup by default) after checking CSM offers it now, and confirms a Backup by a
     * new backup in the session. {@code since} is set when the action resumes: a backup taken after it is adopted.
     */
    public Protection runSessionCommand(String session, String command, Instant since) {
        return runSessionCommand(session, command, since, Identities.NONE);
    }

    /**
     * As {@link #runSessionCommand(String, String, Instant)}, adopting on resume by identity: a backup whose id is
     * not one of {@code ids.known()} (the session's backups, journaled before the Backup was sent) is this action's.
     */
    public Protection runSessionCommand(String session, String command, Instant since, Identities ids) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", session);
        details.put("command", command);
        String sessionPath = BASE + "/sessions/" + UrlPath.segment(session);
        boolean backup = command.equalsIgnoreCase("Backup");
        boolean asked = since != null || ids.resuming();
        try {
            if (backup && (since != null || ids.resuming())) {
                // A Backup an earlier run sent may show in the session only after a while, and a second one
                // would be a second backup (and may roll an older one off): look for the bound before asking.
                PollPolicy.Watch watch = poll.watch();
                while (watch.next()) {
                    // By identity when the earlier run journaled the backups it saw; by the clocks only for older journals.
                    Optional<Backup> taken = backups(session).stream().filter(b -> ids.resuming()
                            ? !ids.known().contains(b.id()) : b.time() != null && b.time() >= since.toEpochMilli()).findFirst();
                    if (taken.isPresent()) {
                        details.put("adopted", ids.resuming() ? "backup " + taken.get().id() + " is not one of the "
                                + "backups that existed before this action asked for one: it is this action's"
                                : "a backup newer than the action existed when it resumed");
                        return protectedBy(taken.get(), details);
                    }
                }
                details.put("note", "no backup newer than the action appeared within " + watch.spent().toSeconds()
                        + " s of resuming; asking for one");
            }
            Offer offer = offered(session, sessionPath);
            if (offer.refusal() != null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, offer.refusal());
            }
            List<String> available = offer.commands();
            String actual = available.stream().filter(c -> c.equalsIgnoreCase(command)).findFirst().orElse(null);
            if (actual == null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "command '" + command + "' is not available for session '"
                        + session + "' now (available: " + String.join(", ", available) + ")");
            }
            Set<String> before = backup ? ids(backups(session)) : Set.of();
            ids.journal().accept(before);
            asked = true;
            Upstream.Reply r = null;
            try {
                // Not repeated after a lost answer: a second Backup would be a second backup. Confirmation decides.
                r = calls.create("run " + actual, "POST", sessionPath, backup ? "backup in " + session : actual + " on " + session,
                        false, h -> h.post(up.url(sessionPath)).field("cmd", actual));
            } catch (UpstreamException lost) {
                if (!lost.mayHaveArrived()) {
                    throw lost;
                }
                details.put("note", "the answer to " + actual + " was lost (" + lost.getMessage() + "); looking for its result");
            }
            if (r != null && r.status() >= 500) {
                // A server error may come after the work was done: look for it rather than assume either way.
                details.put("note", "CSM answered " + actual + " with HTTP " + r.status() + "; looking for its result");
                r = null;
            }
            if (r != null) {
                String refused = CsmReplies.judge(r, details);
                if (refused != null) {
                    return Protection.of(Verdict.NOT_PROTECTED, details, refused);
                }
            }
            if (!backup) {
                return Protection.of(Verdict.UNKNOWN, details, "CSM " + (r == null ? "may have run " : "ran ") + actual
                        + "; it makes no backup that can be read back to confirm protection");
            }
            PollPolicy.Watch watch = poll.watch();
            while (watch.next()) {
                Optional<Backup> fresh = backups(session).stream().filter(b -> !before.contains(b.id())).findFirst();
                if (fresh.isPresent()) {
                    return protectedBy(fresh.get(), details);
                }
            }
            return Protection.of(Verdict.UNKNOWN, details, "CSM " + (r == null ? "may have accepted" : "accepted")
                    + " the Backup but no new backup appeared in session '" + session + "' within " + watch.spent().toSeconds()
                    + " s; check the session in CSM");
        } catch (UpstreamException e) {
            return ended(e, asked, details);
        }
    }

    /** The requests a recovery sends, in order, written out for its dry run. */
    public static List<String> recoverCalls(String baseUrl, String session, String backupId) {
        String s = baseUrl + BASE + "/sessions/" + UrlPath.segment(session);
        String b = s + "/backups/H1/" + UrlPath.segment(backupId);
        return List.of("POST " + baseUrl + BASE + "/system/v1/tokens (only without a live token)",
                "GET " + s + "/availablecommands (Recover Backup must be offered now)",
                "GET " + b + " (the backup must exist)",
                "POST " + b + " cmd=Recover Backup",
                "GET " + b + " and GET " + s + " (read back: backup still there, session without error)");
    }

    /**
     * "Recover Backup" of one Safeguarded backup to the session's recovery volumes (§2.2 backup-scoped command,
     * role H1). Repeating it after a restart makes R1 hold the same backup again, so a resumed recovery asks again.
     */
    public Protection recoverBackup(String session, String backupId) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", session);
        details.put("backupId", backupId);
        String sessionPath = BASE + "/sessions/" + UrlPath.segment(session);
        String backupPath = sessionPath + "/backups/H1/" + UrlPath.segment(backupId);
        boolean asked = false;
        try {
            Offer offer = offered(session, sessionPath);
            if (offer.refusal() != null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, offer.refusal());
            }
            List<String> available = offer.commands();
            // Names differ by release (§2.5): "Recover Backup" on the backup, else the older "Recover".
            String command = available.stream().filter(c -> c.equalsIgnoreCase("Recover Backup")).findFirst()
                    .or(() -> available.stream().filter(c -> c.equalsIgnoreCase("Recover")).findFirst()).orElse(null);
            if (command == null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "CSM does not offer Recover Backup for session '"
                        + session + "' now (available: " + String.join(", ", available) + ")");
            }
            details.put("command", command);
            Upstream.Reply backup = calls.send("backup", "GET", backupPath, h -> h.get(up.url(backupPath)));
            if (!backup.ok()) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "backup " + backupId + " is not in session '" + session
                        + "' (HTTP " + backup.status() + ")" + CsmReplies.colon(CsmReplies.text(backup.json())));
            }
            asked = true;
            Upstream.Reply r = calls.create("run " + command, "POST", backupPath, "recovery of backup " + backupId + " to R1",
                    false, h -> h.post(up.url(backupPath)).field("cmd", command));
            String refused = CsmReplies.judge(r, details);
            if (refused != null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, refused);
            }
            Upstream.Reply after = calls.send("read back backup", "GET", backupPath, h -> h.get(up.url(backupPath)));
            Upstream.Reply state = calls.send("read back session", "GET", sessionPath, h -> h.get(up.url(sessionPath)));
            if (!after.ok() || !state.ok()) {
                return Protection.of(Verdict.UNKNOWN, details, "CSM accepted " + command + " but the session could not be read back");
            }
            JsonNode sessionNode = state.json();
            details.put("sessionState", sessionNode.path("state").asText(""));
            if (sessionNode.path("haserror").asBoolean(false)) {
                return Protection.of(Verdict.UNKNOWN, details, "CSM accepted " + command + " but session '" + session
                        + "' now shows an error (state " + sessionNode.path("state").asText("?") + "); check it in CSM");
            }
            return Protection.of(Verdict.PROTECTED, details, null);
        } catch (UpstreamException e) {
            boolean mayHave = asked && e.mayHaveArrived();
            return Protection.of(mayHave ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, details,
                    mayHave ? e.getMessage() + "; the recovery may have started: check CSM" : e.getMessage());
        }
    }

    /** The commands CSM offers for a session now (§2.2 availablecommands), or why they cannot be read. */
    private record Offer(List<String> commands, String refusal) {
    }

    private Offer offered(String session, String sessionPath) {
        Upstream.Reply cmds = calls.send("available commands", "GET", sessionPath + "/availablecommands",
                h -> h.get(up.url(sessionPath + "/availablecommands")));
        if (!cmds.ok() || !cmds.json().isArray()) {
            return new Offer(List.of(), "session '" + session + "' not found or not readable (HTTP " + cmds.status() + ")"
                    + CsmReplies.colon(CsmReplies.text(cmds.json())));
        }
        List<String> available = new ArrayList<>();
        cmds.json().forEach(c -> available.add(c.asText()));
        return new Offer(available, null);
    }

    private static Protection protectedBy(Backup b, Map<String, String> details) {
        details.put("backupId", b.id());
        if (b.time() != null) {
            details.put("backupTime", Instant.ofEpochMilli(b.time()).toString());
        }
        return Protection.of(Verdict.PROTECTED, details, null);
    }

    private static Protection ended(UpstreamException e, boolean asked, Map<String, String> details) {
        boolean mayExist = asked && e.mayHaveArrived();
        return Protection.of(mayExist ? Verdict.UNKNOWN : Verdict.NOT_PROTECTED, details,
                mayExist ? e.getMessage() + "; the copy may exist: check CSM" : e.getMessage());
    }

    /**
     * Runs a predefined scheduled task by name (what IBM's DS8000 sample does) and confirms a finished run newer
     * than the request whose messages carry no error. {@code since}: see {@link #runSessionCommand}.
     */
    public Protection runScheduledTask(String taskName, Instant since) {
        return runScheduledTask(taskName, since, Identities.NONE);
    }

    /**
     * As {@link #runScheduledTask(String, Instant)}, adopting on resume by identity: the task's last run as CSM
     * stamps it ({@code lastRan}, CSM's own clock), journaled before the start; another one is this action's.
     */
    public Protection runScheduledTask(String taskName, Instant since, Identities ids) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scheduledTask", taskName);
        boolean asked = since != null || ids.resuming();
        try {
            JsonNode task = findTask(taskName);
            if (task == null) {
                return Protection.of(Verdict.NOT_PROTECTED, details, "no scheduled task named '" + taskName + "'");
            }
            String id = task.path("id").asText();
            details.put("taskId", id);
            Long lastRan = CsmReplies.time(task.path("lastRan"));
            String path = BASE + "/sessions/scheduledtasks/" + UrlPath.segment(id);
            Upstream.Reply r = null;
            boolean adopt = ids.resuming() ? lastRan != null && !ids.known().contains("lastRan:" + lastRan)
                    : since != null && lastRan != null && lastRan >= since.toEpochMilli();
            if (adopt) {
                details.put("adopted", ids.resuming() ? "the task's last run (" + lastRan + ") is not the one that "
                        + "existed before this action started it: it is this action's"
                        : "a run newer than the action existed when it resumed");
                lastRan = lastRan - 1;
            } else {
                ids.journal().accept(lastRan == null ? Set.of() : Set.of("lastRan:" + lastRan));
                asked = true;
                try {
                    r = calls.create("run scheduled task", "POST", path, "run of task " + taskName, false, h -> h.post(up.url(path)));
                } catch (UpstreamException lost) {
                    if (!lost.mayHaveArrived()) {
                        throw lost;
                    }
                    details.put("note", "the answer to the task start was lost (" + lost.getMessage() + "); looking for its run");
                }
                if (r != null && r.status() >= 500) {
                    details.put("note", "CSM answered the task start with HTTP " + r.status() + "; looking for its run");
                    r = null;
                }
                if (r != null) {
                    String refused = CsmReplies.judge(r, details);
                    if (refused != null) {
                        return Protection.of(Verdict.NOT_PROTECTED, details, refused);
                    }
                }
            }
            PollPolicy.Watch watch = poll.watch();
            while (watch.next()) {
                Upstream.Reply t = calls.send("scheduled task run", "GET", path, h -> h.get(up.url(path)));
                if (!t.ok()) {
                    throw new UpstreamException(t.status(), "cannot read scheduled task " + id + " (HTTP " + t.status() + ")", t.body());
                }
                Long ran = CsmReplies.time(t.json().path("lastRan"));
                boolean newer = ran != null && (lastRan == null || ran > lastRan);
                if (newer && !t.json().path("running").asBoolean(false)) {
                    details.put("lastRan", Instant.ofEpochMilli(ran).toString());
                    List<String> errors = new ArrayList<>();
                    for (JsonNode m : t.json().path("messages")) {
                        String msg = m.path("msg").asText("");
                        if (msg.endsWith("E") || msg.endsWith("S")) {
                            errors.add(msg + CsmReplies.colon(m.path("msgTranslated").asText("")));
                        }
                    }
                    return errors.isEmpty() ? Protection.of(Verdict.PROTECTED, details, null)
                            : Protection.of(Verdict.NOT_PROTECTED, details, "the task ran with errors: " + String.join("; ", errors));
                }
            }
            return Protection.of(Verdict.UNKNOWN, details, "scheduled task '" + taskName + "' did not finish a run within "
                    + watch.spent().toSeconds() + " s; check it in CSM");
        } catch (UpstreamException e) {
            return ended(e, asked, details);
        }
    }

    /** Test connection: log in, then the session (and its command) or the scheduled task exists. */
    public StepResult check(String session, String command, String task) {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            calls.session();
            if (session != null) {
                String p = BASE + "/sessions/" + UrlPath.segment(session) + "/availablecommands";
                Upstream.Reply r = calls.send("available commands", "GET", p, h -> h.get(up.url(p)));
                if (!r.ok() || !r.json().isArray()) {
                    return fail(details, "session '" + session + "' not found (HTTP " + r.status() + ")" + CsmReplies.colon(CsmReplies.text(r.json())));
                }
                List<String> available = new ArrayList<>();
                r.json().forEach(c -> available.add(c.asText()));
                details.put("availableCommands", String.join(", ", available));
                if (command != null && available.stream().noneMatch(c -> c.equalsIgnoreCase(command))) {
                    details.put("warning", "'" + command + "' is not available for the session right now");
                }
            }
            if (task != null && findTask(task) == null) {
                return fail(details, "no scheduled task named '" + task + "'");
            }
            return new StepResult(true, true, details, null, up.calls());
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    private JsonNode findTask(String name) {
        String path = BASE + "/sessions/scheduledtasks";
        Upstream.Reply r = calls.send("list scheduled tasks", "GET", path, h -> h.get(up.url(path)));
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "cannot list scheduled tasks (HTTP " + r.status() + ")", r.body());
        }
        JsonNode fallback = null;
        for (JsonNode t : r.json()) {
            String n = t.path("name").asText();
            if (n.equals(name)) {
                return t;
            }
            if (n.equalsIgnoreCase(name)) {
                fallback = t;
            }
        }
        return fallback;
    }

    /** The session's backups (storage-apis.md §2.2: backupInfo[].BackupResults[]), newest first. */
    public List<Backup> backups(String session) {
        String sessionPath = BASE + "/sessions/" + UrlPath.segment(session);
        Upstream.Reply r = calls.send("session backups", "GET", sessionPath, h -> h.get(up.url(sessionPath)));
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "cannot read session '" + session + "' (HTTP " + r.status() + ")"
                    + CsmReplies.colon(CsmReplies.text(r.json())), r.body());
        }
        List<Backup> out = new ArrayList<>();
        // Field casing varies between releases, so backupID is matched leniently wherever it sits.
        CsmReplies.collect(r.json(), out);
        out.sort((a, b) -> Long.compare(b.time() == null ? 0 : b.time(), a.time() == null ? 0 : a.time()));
        return out;
    }

    private static Set<String> ids(List<Backup> backups) {
        return backups.stream().map(Backup::id).collect(Collectors.toSet());
    }






    private StepResult fail(Map<String, String> details, String why) {
        return new StepResult(false, false, details, why, up.calls());
    }
}
