package safeguard.csm;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import kong.unirest.core.HttpRequest;
import kong.unirest.core.UnirestInstance;
import safeguard.http.PollPolicy;
import safeguard.http.StepResult;
import safeguard.http.UrlPath;
import safeguard.http.Upstream;
import safeguard.http.UpstreamException;

/**
 * IBM Copy Services Manager REST API (DS8000 Safeguarded Copy): form-encoded token login, {@code X-Auth-Token}
 * on every call and one re-login on 401. Success is judged by the severity letter of the reply's {@code msg}
 * (I, W fine; E, S failed); a Backup is confirmed by a new entry in the session's backups.
 */
public final class CsmClient {
    private static final String BASE = "/CSM/web";

    private final Upstream up;
    private final String user;
    private final String password;
    private final PollPolicy poll;
    private String token;

    public CsmClient(Upstream up, String user, String password, PollPolicy poll) {
        this.up = up;
        this.user = user;
        this.password = password;
        this.poll = poll;
    }


    private void login() {
        String path = BASE + "/system/v1/tokens";
        Upstream.Reply r = up.send("login", "POST", path, h -> h.post(up.url(path))
                .header("Accept-Language", "en-US")
                .field("username", user).field("password", password));
        String t = r.json().path("token").asText(null);
        if (!r.ok() || t == null) {
            throw new UpstreamException(r.status(), "login refused (HTTP " + r.status() + ")" + text(r.json()), r.body());
        }
        token = t;
    }

    /** A call with the token; on 401 (token expired) logs in again once and repeats it. */
    private Upstream.Reply call(String op, String method, String path, Function<UnirestInstance, HttpRequest<?>> req) {
        if (token == null) {
            login();
        }
        Upstream.Reply r = up.send(op, method, path, h -> req.apply(h).header("X-Auth-Token", token)
                .header("Accept-Language", "en-US"));
        if (r.status() == 401) {
            login();
            r = up.send(op + " (after re-login)", method, path, h -> req.apply(h).header("X-Auth-Token", token)
                    .header("Accept-Language", "en-US"));
        }
        return r;
    }

    /** Runs a session command (Backup by default) after checking CSM offers it now; confirms a Backup. */
    public StepResult runSessionCommand(String session, String command) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("session", session);
        details.put("command", command);
        try {
            String sessionPath = BASE + "/sessions/" + UrlPath.segment(session);
            Upstream.Reply cmds = call("available commands", "GET", sessionPath + "/availablecommands",
                    h -> h.get(up.url(sessionPath + "/availablecommands")));
            if (!cmds.ok() || !cmds.json().isArray()) {
                return fail(details, "session '" + session + "' not found or not readable (HTTP " + cmds.status() + ")" + text(cmds.json()));
            }
            List<String> available = new ArrayList<>();
            cmds.json().forEach(c -> available.add(c.asText()));
            String actual = available.stream().filter(c -> c.equalsIgnoreCase(command)).findFirst().orElse(null);
            if (actual == null) {
                return fail(details, "command '" + command + "' is not available for session '" + session
                        + "' now (available: " + String.join(", ", available) + ")");
            }
            boolean backup = actual.equalsIgnoreCase("Backup");
            Set<String> before = backup ? backupIds(sessionPath) : Set.of();
            Upstream.Reply r = call("run " + actual, "POST", sessionPath,
                    h -> h.post(up.url(sessionPath)).field("cmd", actual));
            String severity = judge(r, details);
            if (severity != null) {
                return fail(details, severity);
            }
            if (!backup) {
                return new StepResult(true, false, details, null, up.calls());
            }
            for (int n = 1; n <= poll.maxPolls(); n++) {
                Set<String> now = backupIds(sessionPath);
                now.removeAll(before);
                if (!now.isEmpty()) {
                    details.put("backupId", now.iterator().next());
                    return new StepResult(true, true, details, null, up.calls());
                }
                poll.pause(n);
            }
            return new StepResult(false, false, details, "CSM accepted the Backup but no new backup appeared in session '"
                    + session + "' after " + poll.maxPolls() + " checks", up.calls());
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    /** Runs a predefined scheduled task by name (what IBM's DS8000 sample does). */
    public StepResult runScheduledTask(String taskName) {
        Map<String, String> details = new LinkedHashMap<>();
        details.put("scheduledTask", taskName);
        try {
            JsonNode task = findTask(taskName);
            if (task == null) {
                return fail(details, "no scheduled task named '" + taskName + "'");
            }
            String id = task.path("id").asText();
            details.put("taskId", id);
            String path = BASE + "/sessions/scheduledtasks/" + UrlPath.segment(id);
            Upstream.Reply r = call("run scheduled task", "POST", path, h -> h.post(up.url(path)));
            String severity = judge(r, details);
            return severity == null ? new StepResult(true, false, details, null, up.calls()) : fail(details, severity);
        } catch (UpstreamException e) {
            return fail(details, e.getMessage());
        }
    }

    /** Test connection: log in, then the session (and its command) or the scheduled task exists. */
    public StepResult check(String session, String command, String task) {
        Map<String, String> details = new LinkedHashMap<>();
        try {
            login();
            if (session != null) {
                String p = BASE + "/sessions/" + UrlPath.segment(session) + "/availablecommands";
                Upstream.Reply r = call("available commands", "GET", p, h -> h.get(up.url(p)));
                if (!r.ok() || !r.json().isArray()) {
                    return fail(details, "session '" + session + "' not found (HTTP " + r.status() + ")" + text(r.json()));
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
        Upstream.Reply r = call("list scheduled tasks", "GET", path, h -> h.get(up.url(path)));
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

    private Set<String> backupIds(String sessionPath) {
        Upstream.Reply r = call("session backups", "GET", sessionPath, h -> h.get(up.url(sessionPath)));
        if (!r.ok()) {
            throw new UpstreamException(r.status(), "cannot read session (HTTP " + r.status() + ")", r.body());
        }
        Set<String> ids = new LinkedHashSet<>();
        // backupInfo[].BackupResults[].backupID; field casing varies between releases, so match leniently.
        collect(r.json(), ids);
        return ids;
    }

    private static void collect(JsonNode node, Set<String> ids) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> {
                if (e.getKey().equalsIgnoreCase("backupID") && e.getValue().isValueNode()) {
                    ids.add(e.getValue().asText());
                } else {
                    collect(e.getValue(), ids);
                }
            });
        } else if (node.isArray()) {
            node.forEach(n -> collect(n, ids));
        }
    }

    /** null when the reply's message id ends in I or W; else what went wrong. Records the message either way. */
    private static String judge(Upstream.Reply r, Map<String, String> details) {
        String msg = r.json().path("msg").asText("");
        if (!msg.isEmpty()) {
            details.put("message", msg);
        }
        String textOf = r.json().path("msgTranslated").asText(r.json().path("resultText").asText(""));
        if (!r.ok()) {
            return "HTTP " + r.status() + (textOf.isEmpty() ? "" : ": " + textOf);
        }
        char severity = msg.isEmpty() ? '?' : Character.toUpperCase(msg.charAt(msg.length() - 1));
        if (severity == 'I' || severity == 'W') {
            if (severity == 'W') {
                details.put("warning", textOf);
            }
            return null;
        }
        return "CSM answered " + (msg.isEmpty() ? "without a message id" : msg) + (textOf.isEmpty() ? "" : ": " + textOf);
    }

    private static String text(JsonNode reply) {
        String t = reply.path("msgTranslated").asText(reply.path("resultText").asText(""));
        return t.isEmpty() ? "" : ": " + t;
    }

    private StepResult fail(Map<String, String> details, String why) {
        return new StepResult(false, false, details, why, up.calls());
    }
}
