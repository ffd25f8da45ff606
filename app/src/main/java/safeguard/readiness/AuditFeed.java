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
import safeguard.dsm.Dsm;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.targets.Target;

/**
 * The audit feed: every log source the app made for a Scale host (Settings → log source hosts) delivered an event
 * within the window, by QRadar's own {@code last_event_time} (log_sources-GET: "the date/time of the last event
 * received by the log source (in milliseconds since epoch)"). "Never" and "stopped at T" are both failures: when
 * file audit logging or its forwarding stops, which is an attacker's first move, no rule can fire.
 */
final class AuditFeed {
    static final String LOG_SOURCE_TYPES = "/config/event_sources/log_source_management/log_source_types";
    static final String LOG_SOURCES = "/config/event_sources/log_source_management/log_sources";

    private final QradarClient qradar;
    private final Supplier<Settings> settings;
    private final Supplier<List<Target>> targets;
    private final boolean insideQradar;
    private final Clock clock;
    /** Read when first needed: only inside QRadar, never on the way to serving. */
    private String typeName;

    AuditFeed(QradarClient qradar, Supplier<Settings> settings, Supplier<List<Target>> targets, boolean insideQradar,
              Clock clock) {
        this.qradar = qradar;
        this.settings = settings;
        this.targets = targets;
        this.insideQradar = insideQradar;
        this.clock = clock;
    }

    List<Check> run() {
        if (!insideQradar || qradar == null) {
            return List.of();
        }
        Settings s = settings.get();
        List<String> hosts = s.logSourceHosts();
        if (hosts.isEmpty()) {
            boolean scale = targets.get().stream().anyMatch(t -> Target.SCALE.equals(t.kind()));
            return scale ? List.of(Check.warning("audit-feed", "Storage Scale", "no Scale host is listed in Settings → "
                    + "log source hosts, so the app watches no audit feed: list the hosts that forward file audit "
                    + "records")) : List.of();
        }
        Duration window = Duration.ofMinutes(s.auditFeedWindowMinutes() == null
                ? Settings.DEFAULT_AUDIT_FEED_WINDOW_MINUTES : s.auditFeedWindowMinutes());
        if (typeName == null) {
            typeName = Dsm.bundled().logSourceTypeName();
        }
        List<Check> out = new ArrayList<>();
        Map<String, JsonNode> byHost = new HashMap<>();
        try {
            JsonNode type = qradar.get(LOG_SOURCE_TYPES, Map.of("filter", "name=\"" + typeName + "\"", "fields", "id"));
            if (type.isArray() && !type.isEmpty()) {
                for (JsonNode ls : qradar.getAll(LOG_SOURCES, Map.of("filter", "type_id=" + type.get(0).path("id").asLong(),
                        "fields", "id,name,enabled,last_event_time,protocol_parameters"))) {
                    for (JsonNode p : ls.path("protocol_parameters")) {
                        if (p.path("name").asText().equals("identifier")) {
                            byHost.put(p.path("value").asText(), ls);
                        }
                    }
                }
            }
        } catch (QradarException e) {
            for (String h : hosts) {
                out.add(Check.failed("audit-feed", h, "cannot read the log sources from QRadar: " + e.getMessage()));
            }
            return out;
        }
        Instant now = clock.instant();
        for (String h : hosts) {
            JsonNode ls = byHost.get(h);
            if (ls == null) {
                out.add(Check.failed("audit-feed", h, "QRadar has no log source for this host yet (the app makes it at "
                        + "its next content reconcile; see QRadar content)"));
                continue;
            }
            String name = "'" + ls.path("name").asText() + "'";
            if (!ls.path("enabled").asBoolean(true)) {
                out.add(Check.failed("audit-feed", h, "log source " + name + " is disabled in QRadar: enable it"));
                continue;
            }
            long last = ls.path("last_event_time").asLong(0);
            if (last <= 0) {
                out.add(Check.failed("audit-feed", h, "log source " + name + " has never delivered an event: turn on "
                        + "file audit logging (mmaudit) on the file systems and forward its records from " + h
                        + " to QRadar (rsyslog)"));
                continue;
            }
            Instant at = Instant.ofEpochMilli(last);
            Duration quiet = Duration.between(at, now);
            if (quiet.compareTo(window) > 0) {
                out.add(Check.failed("audit-feed", h, "log source " + name + " stopped at " + at + " (no event for "
                        + quiet.toMinutes() + " min, over the " + window.toMinutes() + " min window): check file audit "
                        + "logging and rsyslog on " + h));
            } else {
                out.add(Check.ok("audit-feed", h, "log source " + name + " delivered its last event at " + at));
            }
        }
        return out;
    }
}
