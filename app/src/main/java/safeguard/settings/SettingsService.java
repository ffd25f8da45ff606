package safeguard.settings;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Optional;
import safeguard.InvalidInputException;
import safeguard.Json;
import safeguard.store.Store;

/** Settings in store/settings.json; a change is validated whole, written atomically, then used at once. */
public final class SettingsService {
    static final String FILE = "settings.json";
    static final int MAX_WINDOW_SECONDS = 86_400;
    static final int MAX_HOSTS = 500;
    static final int MAX_SERVICE_DAYS = 3_650;
    static final int MIN_FEED_MINUTES = 5;
    static final int MAX_FEED_MINUTES = 1_440;
    static final int MAX_ATTEMPTS_PER_HOUR = 60;
    static final int MAX_GAP_WARN_DAYS = 3_650;
    static final int MIN_RETENTION_DAYS = 30;
    static final int MAX_RETENTION_DAYS = 3_650;
    /** A syslog header's host field: a host name or an address (QRadar's log source identifier). */
    private static final java.util.regex.Pattern HOST = java.util.regex.Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,252}");

    static final int MIN_POLL_SECONDS = 5;
    static final int MAX_POLL_SECONDS = 3_600;

    private final Store store;
    private final java.util.function.Consumer<Settings> check;
    private volatile Settings current;

    public SettingsService(Store store) {
        this(store, change -> { });
    }

    /** {@code check} vets what needs more than this class knows (offense triggers: QRadar's rules, the targets). */
    public SettingsService(Store store, java.util.function.Consumer<Settings> check) {
        this.store = store;
        this.check = check;
        try {
            Optional<byte[]> bytes = store.read(FILE);
            current = bytes.isPresent() ? merge(Json.mapper().readValue(bytes.get(), Settings.class), Settings.DEFAULTS)
                    : Settings.DEFAULTS;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + FILE, e);
        }
    }

    public Settings get() {
        return current;
    }

    /** Fields left out keep their value. */
    public synchronized Settings update(Settings change) {
        if (change == null) {
            throw new InvalidInputException("body", "a JSON object with coalesceWindowSeconds and/or dryRunAll is required");
        }
        Integer window = change.coalesceWindowSeconds();
        if (window != null && (window < 0 || window > MAX_WINDOW_SECONDS)) {
            throw new InvalidInputException("coalesceWindowSeconds",
                    "coalesceWindowSeconds must be from 0 (no coalescing) to " + MAX_WINDOW_SECONDS + " (a day)");
        }
        if (change.logSourceHosts() != null) {
            checkHosts(change.logSourceHosts());
        }
        Integer days = change.actionServiceDays();
        if (days != null && (days < 1 || days > MAX_SERVICE_DAYS)) {
            throw new InvalidInputException("actionServiceDays", "actionServiceDays must be from 1 to " + MAX_SERVICE_DAYS);
        }
        Integer attempts = change.attemptsPerHour();
        if (attempts != null && (attempts < 1 || attempts > MAX_ATTEMPTS_PER_HOUR)) {
            throw new InvalidInputException("attemptsPerHour", "attemptsPerHour must be from 1 to " + MAX_ATTEMPTS_PER_HOUR);
        }
        for (var id : new Object[][] {{"actionServiceRoleId", change.actionServiceRoleId()},
                {"actionServiceProfileId", change.actionServiceProfileId()}}) {
            if (id[1] != null && (Long) id[1] < 0) {
                throw new InvalidInputException((String) id[0], id[0] + " must be the id of a QRadar " +
                        (id[0].equals("actionServiceRoleId") ? "user role" : "security profile"));
            }
        }
        Integer feed = change.auditFeedWindowMinutes();
        if (feed != null && (feed < MIN_FEED_MINUTES || feed > MAX_FEED_MINUTES)) {
            throw new InvalidInputException("auditFeedWindowMinutes", "auditFeedWindowMinutes must be from "
                    + MIN_FEED_MINUTES + " to " + MAX_FEED_MINUTES + " (a day)");
        }
        Integer poll = change.offensePollSeconds();
        if (poll != null && (poll < MIN_POLL_SECONDS || poll > MAX_POLL_SECONDS)) {
            throw new InvalidInputException("offensePollSeconds",
                    "offensePollSeconds must be from " + MIN_POLL_SECONDS + " to " + MAX_POLL_SECONDS);
        }
        Integer gap = change.recoverGapWarnDays();
        if (gap != null && (gap < 1 || gap > MAX_GAP_WARN_DAYS)) {
            throw new InvalidInputException("recoverGapWarnDays",
                    "recoverGapWarnDays must be from 1 to " + MAX_GAP_WARN_DAYS + " (ten years)");
        }
        Integer retention = change.journalRetentionDays();
        if (retention != null && (retention < MIN_RETENTION_DAYS || retention > MAX_RETENTION_DAYS)) {
            throw new InvalidInputException("journalRetentionDays", "journalRetentionDays must be from "
                    + MIN_RETENTION_DAYS + " to " + MAX_RETENTION_DAYS + " (ten years)");
        }
        check.accept(change);
        Settings next = merge(change, current);
        try {
            store.writeAtomically(FILE, Json.mapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(next));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + FILE, e);
        }
        current = next;
        return next;
    }

    private static void checkHosts(java.util.List<String> hosts) {
        if (hosts.size() > MAX_HOSTS) {
            throw new InvalidInputException("logSourceHosts", "at most " + MAX_HOSTS + " hosts");
        }
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (int i = 0; i < hosts.size(); i++) {
            String h = hosts.get(i);
            if (h == null || !HOST.matcher(h).matches()) {
                throw new InvalidInputException("logSourceHosts[" + i + "]", "logSourceHosts[" + i + "] must be a host "
                        + "name or address as the syslog header carries it (letters, digits, . _ : -)");
            }
            if (!seen.add(h.toLowerCase(java.util.Locale.ROOT))) {
                throw new InvalidInputException("logSourceHosts[" + i + "]", "logSourceHosts[" + i + "] repeats " + h);
            }
        }
    }

    private static Settings merge(Settings change, Settings base) {
        return new Settings(
                change.coalesceWindowSeconds() != null ? change.coalesceWindowSeconds() : base.coalesceWindowSeconds(),
                change.dryRunAll() != null ? change.dryRunAll() : base.dryRunAll(),
                change.logSourceHosts() != null ? java.util.List.copyOf(change.logSourceHosts()) : base.logSourceHosts(),
                change.actionServiceRoleId() != null ? change.actionServiceRoleId() : base.actionServiceRoleId(),
                change.actionServiceProfileId() != null ? change.actionServiceProfileId() : base.actionServiceProfileId(),
                change.actionServiceDays() != null ? change.actionServiceDays() : base.actionServiceDays(),
                change.attemptsPerHour() != null ? change.attemptsPerHour() : base.attemptsPerHour(),
                change.offenseTriggers() != null ? java.util.List.copyOf(change.offenseTriggers()) : base.offenseTriggers(),
                change.offensePollSeconds() != null ? change.offensePollSeconds() : base.offensePollSeconds(),
                change.auditFeedWindowMinutes() != null ? change.auditFeedWindowMinutes() : base.auditFeedWindowMinutes(),
                change.recoverGapWarnDays() != null ? change.recoverGapWarnDays() : base.recoverGapWarnDays(),
                change.journalRetentionDays() != null ? change.journalRetentionDays() : base.journalRetentionDays());
    }
}
