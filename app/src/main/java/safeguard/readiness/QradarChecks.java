package safeguard.readiness;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import safeguard.Json;
import safeguard.content.ContentService;
import safeguard.content.ContentStatus;
import safeguard.content.ItemStatus;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.targets.Target;

/**
 * The QRadar side, inside QRadar: the app's own authorisation works; every target has its custom action with this
 * version's script and parameters and the current tokens; the custom action's authorized service exists and is not
 * near its end; the rules offense triggers name exist and are enabled. What the app owns and finds missing or
 * altered it restores at once, through the content reconcile, and says so.
 */
final class QradarChecks {
    /** As /api/content/status names them. */
    static final String ACTION_PREFIX = "Safeguard Responder: ";
    static final String CUSTOM_ACTION = "custom-action";
    static final String SCRIPT = "custom-action-script";
    static final String SERVICE = "authorized-service";
    static final String RULES = "/analytics/rules";
    static final Duration RECONCILE_WAIT = Duration.ofMinutes(2);
    static final Duration EXPIRY_WARNING = Duration.ofDays(7);

    private final ContentService content;
    private final QradarClient qradar;
    private final Supplier<List<Target>> targets;
    private final Supplier<Settings> settings;
    private final boolean insideQradar;
    private final Clock clock;
    private final Supplier<List<String>> triggerProblems;

    QradarChecks(ContentService content, QradarClient qradar, Supplier<List<Target>> targets,
                 Supplier<Settings> settings, boolean insideQradar, Clock clock) {
        this(content, qradar, targets, settings, insideQradar, clock, List::of);
    }

    QradarChecks(ContentService content, QradarClient qradar, Supplier<List<Target>> targets,
                 Supplier<Settings> settings, boolean insideQradar, Clock clock,
                 Supplier<List<String>> triggerProblems) {
        this.triggerProblems = triggerProblems;
        this.content = content;
        this.qradar = qradar;
        this.targets = targets;
        this.settings = settings;
        this.insideQradar = insideQradar;
        this.clock = clock;
    }

    List<Check> run() {
        if (!insideQradar) {
            return List.of();
        }
        List<Check> out = new ArrayList<>();
        if (qradar == null) {
            out.add(Check.failed("qradar-authorization", "QRadar", "the app is not authorised: an admin authorises it "
                    + "in Admin → Extensions Management, so that it can make its custom actions and log sources"));
            return out;
        }
        try {
            qradar.get("/help/versions", Map.of("fields", "version"));
            out.add(Check.ok("qradar-authorization", "QRadar", "the app's authorised service is accepted by the console"));
        } catch (QradarException e) {
            out.add(Check.failed("qradar-authorization", "QRadar", (e.status() == 401 || e.status() == 403
                    ? "the console refused the app's authorised service (HTTP " + e.status() + "): authorise the app "
                    + "again in Admin → Extensions Management"
                    : "the console did not answer as it should: " + e.getMessage())));
            return out;
        }
        List<Target> all = targets.get();
        if (!all.isEmpty()) {
            out.addAll(customActions(all));
        }
        out.addAll(offenseTriggers());
        return out;
    }

    private List<Check> customActions(List<Target> all) {
        List<Check> out = new ArrayList<>();
        ContentStatus status = content.reconcileNow(RECONCILE_WAIT);
        Map<String, ItemStatus> byName = new HashMap<>();
        ItemStatus script = null;
        ItemStatus service = null;
        for (ItemStatus i : status.items()) {
            switch (i.kind()) {
                case CUSTOM_ACTION -> byName.put(i.name(), i);
                case SCRIPT -> script = i;
                case SERVICE -> service = i;
                default -> { }
            }
        }
        out.add(service(service, status));
        boolean armed = content.actionTokenArmed();
        for (Target t : all) {
            ItemStatus i = byName.get(ACTION_PREFIX + t.name());
            String s = t.name();
            if (i == null || ("error".equals(status.state()) && "missing".equals(i.state()))) {
                out.add(Check.failed(CUSTOM_ACTION, s, "not verified, the content reconcile failed: "
                        + (status.lastError() == null ? "the content reconcile has not reached it" : status.lastError())));
            } else if (i.state().equals("missing")) {
                out.add(Check.failed(CUSTOM_ACTION, s, i.detail() == null ? "QRadar has no custom action for it" : i.detail()));
            } else if (!armed) {
                out.add(Check.failed(CUSTOM_ACTION, s, "the custom action carries no action token yet, so the app "
                        + "refuses its calls: reveal or rotate the action token in the app"));
            } else if (i.state().equals("created")) {
                out.add(Check.repaired(CUSTOM_ACTION, s, "'" + i.name() + "' was missing in QRadar: the app made it "
                        + "again (id " + i.id() + "); deploy changes, and put it back into the rules that ran it"));
            } else if (i.state().equals("updated")) {
                out.add(Check.repaired(CUSTOM_ACTION, s, "'" + i.name() + "' had been altered: the app put back this "
                        + "version's parameters and tokens"));
            } else {
                out.add(Check.ok(CUSTOM_ACTION, s, "'" + i.name() + "' has this version's parameters and the current tokens"));
            }
        }
        if (script != null && script.state().equals("updated")) {
            out.add(Check.repaired(SCRIPT, script.name(), "QRadar held another script: the app put back this version's"));
        } else if (script != null && script.state().equals("created")) {
            out.add(Check.repaired(SCRIPT, script.name(), "the script was missing in QRadar: the app uploaded it again"));
        }
        return out;
    }

    /**
     * The service as the console has it: one deleted in the console (the app's record still names it) is replaced
     * at once, and the custom actions get its token.
     */
    private Check service(ItemStatus item, ContentStatus status) {
        String s = "custom action's authorized service";
        if (item == null) {
            return Check.failed(SERVICE, s, "not verified: " + (status.lastError() == null ? "no content reconcile yet"
                    : status.lastError()));
        }
        if (item.state().equals("missing")) {
            return Check.failed(SERVICE, s, item.detail());
        }
        if (item.state().equals("created")) {
            return Check.repaired(SERVICE, s, "a new authorized service was made and put into every custom action: "
                    + item.detail());
        }
        var view = content.actionCaller();
        if (view.label() == null || view.error() != null) {
            try {
                content.rotateActionCaller();
                return Check.repaired(SERVICE, s, "the authorized service was gone from QRadar"
                        + (view.error() == null ? "" : " (" + view.error() + ")")
                        + ": a new one was made and put into every custom action");
            } catch (RuntimeException e) {
                return Check.failed(SERVICE, s, "the authorized service is gone from QRadar and a new one could not be "
                        + "made: " + e.getMessage());
            }
        }
        if (view.expiresAt() != null) {
            Instant ends = Instant.parse(view.expiresAt());
            if (!clock.instant().plus(EXPIRY_WARNING).isBefore(ends)) {
                return Check.warning(SERVICE, s, "'" + view.label() + "' ends at " + ends + ": rotate it in Settings "
                        + "(the app replaces it itself at its next reconcile)");
            }
            return Check.ok(SERVICE, s, "'" + view.label() + "' exists and is valid until " + ends);
        }
        return Check.ok(SERVICE, s, "'" + view.label() + "' exists and does not expire");
    }

    /**
     * Offense triggers (when there are any): each must name a rule that exists and is enabled and a target that
     * exists, or no offense of it ever starts an action. The offenses feature knows how to read that.
     */
    List<Check> offenseTriggers() {
        List<Check> out = new ArrayList<>();
        List<?> set = settings.get().offenseTriggers();
        if (set == null || set.isEmpty()) {
            return out;
        }
        List<String> problems = triggerProblems.get();
        if (problems.isEmpty()) {
            out.add(Check.ok("offense-trigger", set.size() + " trigger(s)",
                    "every trigger names an enabled rule and an existing target"));
        }
        for (String p : problems) {
            out.add(Check.failed("offense-trigger", p.contains(":") ? p.substring(0, p.indexOf(':')) : "offenseTriggers",
                    p + ": fix it in Settings, or enable or restore the rule in QRadar"));
        }
        return out;
    }
}
