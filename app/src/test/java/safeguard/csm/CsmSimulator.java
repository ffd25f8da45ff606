package safeguard.csm;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import safeguard.Json;
import safeguard.StorageSimulator;
import safeguard.TestCerts;

/**
 * Copy Services Manager REST API (storage-apis.md §2), stateful: tokens from a form-encoded login, required on
 * every call and expirable (→ 401, §2.1); each Backup command of a Safeguarded Copy session makes a backup with a
 * new id (epoch seconds, §2.5) that shows in the session's backupInfo[].BackupResults[] (§2.2), optionally only
 * after some reads of the session; scheduled-task runs are recorded (lastRan, running, messages, §2.2).
 * Backups can be read one by one and recovered or expired with backup-scoped commands (§2.2, RECOVER-FACTS.md).
 */
public final class CsmSimulator extends StorageSimulator {
    static final String WEB = "/CSM/web";
    private static final Pattern SESSION = Pattern.compile(WEB + "/sessions/([^/]+)(/availablecommands)?");
    private static final Pattern TASK = Pattern.compile(WEB + "/sessions/scheduledtasks/([^/]+)");
    /** §2.2 [V path]: GET (detail) and POST (backup-scoped command) of one backup; role H1 for SGC (§2.5). */
    private static final Pattern BACKUP = Pattern.compile(WEB + "/sessions/([^/]+)/backups/([^/]+)/([^/]+)");
    /** §2.2: the commands sent on a backup's URL rather than the session's. */
    private static final Set<String> BACKUP_COMMANDS = Set.of("Recover Backup", "Expire Backup");

    /** One backup on H1: its id (epoch seconds) and time (epoch ms); visible after {@code hiddenReads} reads. */
    public record Backup(String id, long timestamp) {
    }

    private static final class Session {
        final String name;
        final List<String> commands;
        final List<Backup> backups = new ArrayList<>();
        final Map<String, Integer> hidden = new LinkedHashMap<>();
        final List<String> recovered = new ArrayList<>();
        boolean recoverable;

        Session(String name, List<String> commands) {
            this.name = name;
            this.commands = new ArrayList<>(commands);
        }
    }

    private static final class Task {
        final int id;
        final String name;
        Long lastRan;
        int readsRunning;
        int runs;
        final List<String> messages = new ArrayList<>();

        Task(int id, String name) {
            this.id = id;
            this.name = name;
        }
    }

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    private final Map<Integer, Task> tasks = new LinkedHashMap<>();
    private final Set<String> tokens = ConcurrentHashMap.newKeySet();
    private final AtomicLong recovers = new AtomicLong();
    private int tokenCount;
    private long lastBackup;
    private String user = "csmadmin";
    private String password;
    /** The message id a Backup answers; one ending in E fails it (§2.3) and makes no backup. */
    public volatile String backupMessage = "IWNR1026I";
    /** How many reads of the session pass before a new backup shows in it (CSM works in the background). */
    public volatile int backupShowsAfterReads;
    /** When false, a Backup is answered I but no backup ever appears. */
    public volatile boolean backupsAppear = true;
    /** How many reads of a scheduled task show it running after it was started. */
    public volatile int taskReadsRunning = 1;
    /** Messages a task run leaves (§2.2 messages[].msg); one ending in E marks a failed run. */
    public volatile String taskRunMessage = "IWNR2211I";
    /** The message id a Recover Backup answers; one ending in E fails it (§2.3) and recovers nothing. */
    public volatile String recoverMessage = "IWNR1026I";

    public CsmSimulator(TestCerts cert) {
        super(cert);
        Session s = new Session("SGC_DB1", List.of("Backup", "Recover", "Recover Backup", "Expire Backup", "Refresh States"));
        s.backups.add(new Backup("1714558500", 1714558500000L));
        sessions.put(s.name, s);
        tasks.put(3, new Task(3, "Suspend MM"));
        tasks.put(7, new Task(7, "SGC Backup DB1"));
    }

    public CsmSimulator credentials(String user, String password) {
        this.user = user;
        this.password = password;
        return this;
    }

    /** The commands the session offers now (§2.2 availablecommands). */
    public synchronized void offers(String session, String... commands) {
        sessions.get(session).commands.clear();
        sessions.get(session).commands.addAll(List.of(commands));
    }

    /** Every token issued so far stops working (§2.1: token expiry → 401). */
    public void expireTokens() {
        tokens.clear();
    }

    public synchronized List<Backup> backups(String session) {
        return List.copyOf(sessions.get(session).backups);
    }

    /** A backup on H1 of {@code session}, visible at once (as one a scheduled backup made earlier). */
    public synchronized void backup(String session, String backupId, long timestampMillis) {
        Session s = sessions.get(session);
        s.backups.removeIf(b -> b.id().equals(backupId));
        s.backups.add(new Backup(backupId, timestampMillis));
        s.backups.sort(java.util.Comparator.comparingLong(Backup::timestamp));
        s.hidden.remove(backupId);
    }

    /** The backup ids recovered in {@code session}, in order. */
    public synchronized List<String> recovered(String session) {
        return List.copyOf(sessions.get(session).recovered);
    }

    /** How many backup-scoped POSTs with cmd=Recover Backup arrived (whatever their answer). */
    public long recovers() {
        return recovers.get();
    }

    public long logins() {
        return count("POST", WEB + "/system/v1/tokens");
    }

    public long backupCommands() {
        return count("POST", WEB + "/sessions/SGC_DB1");
    }

    public synchronized int taskRuns(int id) {
        return tasks.get(id).runs;
    }

    @Override
    protected Answer handle(Call c) {
        Matcher backup = BACKUP.matcher(c.path());
        if (backup.matches() && c.method().equals("POST") && "Recover Backup".equals(cmd(c))) {
            recovers.incrementAndGet();
        }
        if (c.method().equals("POST") && c.path().equals(WEB + "/system/v1/tokens")) {
            return login(c);
        }
        if (!"en-US".equals(c.header("Accept-Language"))) {
            return violation("§2.1", c.method() + " " + c.path() + " without Accept-Language: en-US");
        }
        String token = c.header("X-Auth-Token");
        if (token == null || !tokens.contains(token)) {
            return message(401, "IWNR1503E", "The session token is not valid or has expired."); // §2.1 → 401
        }
        if (c.path().equals(WEB + "/sessions/scheduledtasks") && c.method().equals("GET")) {
            ArrayNode list = Json.mapper().createArrayNode();
            tasks.values().forEach(t -> list.add(task(t, false)));
            return json(200, list.toString());
        }
        Matcher t = TASK.matcher(c.path());
        if (t.matches() && tasks.containsKey(parse(t.group(1)))) {
            Task task = tasks.get(parse(t.group(1)));
            if (c.method().equals("GET")) {
                return json(200, task(task, true).toString());
            }
            if (c.method().equals("POST")) {
                // §0.1: the DS8000 sample runs a task with an empty POST; success is IWNR2211I.
                task.runs++;
                task.lastRan = Math.max(System.currentTimeMillis(), task.lastRan == null ? 0 : task.lastRan + 1);
                task.readsRunning = taskReadsRunning;
                task.messages.clear();
                task.messages.add(taskRunMessage);
                return message(200, "IWNR2211I", "The scheduled task " + task.name + " was started.");
            }
        }
        if (backup.matches()) {
            Session session = sessions.get(backup.group(1));
            if (session == null) {
                return message(404, "IWNR1050E", "The session " + backup.group(1) + " does not exist.");
            }
            if (c.method().equals("GET")) {
                Backup b = visible(session, backup.group(2), backup.group(3));
                return b == null ? noSuchBackup(session, backup.group(2), backup.group(3)) : json(200, backupNode(b).toString());
            }
            if (c.method().equals("POST")) {
                return backupCommand(c, session, backup.group(2), backup.group(3));
            }
        }
        Matcher s = SESSION.matcher(c.path());
        if (s.matches() && !s.group(1).equals("scheduledtasks")) {
            Session session = sessions.get(s.group(1));
            if (session == null) {
                return message(404, "IWNR1050E", "The session " + s.group(1) + " does not exist.");
            }
            if (s.group(2) != null && c.method().equals("GET")) {
                return json(200, Json.mapper().valueToTree(session.commands).toString());
            }
            if (s.group(2) == null && c.method().equals("GET")) {
                return json(200, session(session).toString());
            }
            if (s.group(2) == null && c.method().equals("POST")) {
                return command(c, session);
            }
        }
        return violation("§2.2", c.method() + " " + c.path() + " is not a documented call");
    }

    /** §2.1: form-encoded username and password → {"token": …}. */
    private Answer login(Call c) {
        String type = c.header("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return violation("§2.1", "login without Content-Type application/x-www-form-urlencoded");
        }
        Map<String, String> f = c.form();
        if (!f.containsKey("username") || !f.containsKey("password")) {
            return violation("§2.1", "login without the username and password fields");
        }
        if (!user.equals(f.get("username")) || (password != null && !password.equals(f.get("password")))) {
            return message(401, "IWNR1507E", "The user name or password is not valid.");
        }
        String token = "tok-" + (++tokenCount);
        tokens.add(token);
        return json(200, "{\"token\":\"" + token + "\",\"msg\":\"IWNR1500I\"}");
    }

    /** §2.2 POST /sessions/{name} cmd=…; §2.3 the reply's msg severity; §2.5 backup ids are epoch seconds. */
    private Answer command(Call c, Session session) {
        String type = c.header("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return violation("§2.1", "a session command without Content-Type application/x-www-form-urlencoded");
        }
        String cmd = c.form().get("cmd");
        if (cmd == null) {
            return violation("§2.2", "a session command without the cmd field");
        }
        if (BACKUP_COMMANDS.contains(cmd)) {
            return violation("§2.2", cmd + " is backup-scoped: POST /sessions/{name}/backups/{role}/{backupId}, not the session");
        }
        if (!session.commands.contains(cmd)) {
            return message(200, "IWNR1028E", "The command " + cmd + " is not available for session " + session.name + ".");
        }
        String msg = cmd.equals("Backup") ? backupMessage : "IWNR1026I";
        if (cmd.equals("Backup") && !msg.endsWith("E") && backupsAppear) {
            long now = System.currentTimeMillis();
            long id = Math.max(now / 1000, lastBackup + 1);
            lastBackup = id;
            Backup b = new Backup(Long.toString(id), Math.max(now, id * 1000));
            session.backups.add(b);
            session.hidden.put(b.id(), backupShowsAfterReads);
        }
        return message(200, msg, "The " + cmd + " command in the " + session.name + " session "
                + (msg.endsWith("E") ? "failed." : "completed."));
    }

    /**
     * §2.2 POST /sessions/{name}/backups/{role}/{backupId} form cmd=Recover Backup | Expire Backup [V path+form];
     * the command must be one the session offers now (§2.2 availablecommands; else a message ending in E, [I]);
     * §2.3 severity by the last letter.
     */
    private Answer backupCommand(Call c, Session session, String role, String id) {
        String type = c.header("Content-Type");
        if (type == null || !type.startsWith("application/x-www-form-urlencoded")) {
            return violation("§2.1", "a backup command without Content-Type application/x-www-form-urlencoded");
        }
        String cmd = cmd(c);
        if (cmd == null) {
            return violation("§2.2", "a backup command without the cmd field: " + c.body());
        }
        if (!BACKUP_COMMANDS.contains(cmd) || !session.commands.contains(cmd)) {
            return message(200, "IWNR1029E", "The command " + cmd + " is not available for backup " + id + " of session "
                    + session.name + ".");
        }
        Backup b = visible(session, role, id);
        if (b == null) {
            return noSuchBackup(session, role, id);
        }
        if (cmd.equals("Expire Backup")) {
            // §2.5 [V]: Expire Backup removes the designated backup and all earlier ones.
            session.backups.removeIf(x -> x.timestamp() <= b.timestamp());
            return message(200, "IWNR1026I", "The Expire Backup command in the " + session.name + " session completed.");
        }
        String msg = recoverMessage;
        if (!msg.endsWith("E")) {
            // [I]: after a recovery the session reports itself recoverable (the R1 volumes hold the backup).
            session.recovered.add(b.id());
            session.recoverable = true;
        }
        return message(200, msg, "The Recover Backup command for backup " + b.id() + " in the " + session.name + " session "
                + (msg.endsWith("E") ? "failed." : "completed."));
    }

    /** A backup on H1 (§2.5: backups reside on H1) that shows in the session already, or null. */
    private static Backup visible(Session s, String role, String id) {
        if (!role.equals("H1") || s.hidden.getOrDefault(id, 0) > 0) {
            return null;
        }
        return s.backups.stream().filter(b -> b.id().equals(id)).findFirst().orElse(null);
    }

    /** [I]: an unknown backup (or role) is not found: 404 with a CSM message ending in E (id illustrative [U]). */
    private static Answer noSuchBackup(Session s, String role, String id) {
        return message(404, "IWNR1956E", "The backup " + id + " does not exist for role " + role + " in session " + s.name + ".");
    }

    /** §2.2 BackupResults[] fields [V names]; backupTime and timestamp in epoch ms. */
    private static ObjectNode backupNode(Backup b) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("backupID", b.id()).put("numCopySets", 4).put("valid", true).put("blockingExpansion", false)
                .put("timestamp", b.timestamp()).put("retention", 7).put("backupTime", b.timestamp());
        return n;
    }

    private ObjectNode session(Session s) {
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("name", s.name).put("status", "Normal").put("state", "Protected").put("haserror", false)
                .put("rulesname", "SGC").put("recoverable", s.recoverable);
        ArrayNode results = n.putArray("backupInfo").addObject().put("backupSequence", 1).putArray("BackupResults");
        for (Backup b : s.backups) {
            int left = s.hidden.getOrDefault(b.id(), 0);
            if (left > 0) {
                s.hidden.put(b.id(), left - 1);
                continue;
            }
            results.add(backupNode(b));
        }
        return n;
    }

    private ObjectNode task(Task t, boolean read) {
        boolean running = t.readsRunning > 0;
        if (read && running) {
            t.readsRunning--;
        }
        ObjectNode n = Json.mapper().createObjectNode();
        n.put("id", t.id).put("name", t.name).put("enabled", true).put("running", running).put("pendingApproval", false);
        if (t.lastRan != null) {
            n.put("lastRan", t.lastRan);
        }
        ArrayNode messages = n.putArray("messages");
        t.messages.forEach(m -> messages.addObject().put("msg", m).put("msgTranslated", m + " task run message"));
        n.putObject("schedule").put("type", "NoTaskSchedule");
        n.putArray("affectedSession").add("SGC_DB1");
        return n;
    }

    /** The form's cmd, or null when absent or the body is no form (a JSON body may hold a bare '%'). */
    private static String cmd(Call c) {
        try {
            return c.form().get("cmd");
        } catch (IllegalArgumentException malformed) {
            return null;
        }
    }

    private static int parse(String s) {
        try {
            return Integer.parseInt(s);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static Answer message(int status, String msg, String text) {
        return json(status, "{\"msg\":\"" + msg + "\",\"msgTranslated\":" + Json.mapper().valueToTree(msg + " " + text)
                + ",\"inserts\":[],\"timestamp\":" + System.currentTimeMillis() + "}");
    }
}
