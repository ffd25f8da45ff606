package safeguard.offenses;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import safeguard.http.UpstreamException;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;

/**
 * QRadar's rules ({@code GET /analytics/rules}: the page marks no field Filterable and has no sort, so the list
 * is read whole, in {@code Range} pages, with only the fields the app shows), kept for a minute: the Settings
 * page, the check of a change and the poller's rule names all read the same copy.
 */
final class Rules {
    static final Duration KEEP = Duration.ofMinutes(1);
    static final String FIELDS = "id,name,enabled,type,origin";

    private final QradarClient qradar;
    private final Clock clock;
    private Map<Long, QradarRule> byId;
    private Instant readAt;

    Rules(QradarClient qradar, Clock clock) {
        this.qradar = qradar;
        this.clock = clock;
    }

    /** Every rule, by id; read again once a minute. Throws {@link QradarException} when QRadar cannot answer. */
    synchronized Map<Long, QradarRule> all() {
        Instant now = clock.instant();
        if (byId == null || readAt.plus(KEEP).isBefore(now)) {
            Map<Long, QradarRule> fresh = new LinkedHashMap<>();
            for (JsonNode r : qradar.getAll("/analytics/rules", Map.of("fields", FIELDS))) {
                fresh.put(r.path("id").asLong(), new QradarRule(r.path("id").asLong(), r.path("name").asText(""),
                        r.path("enabled").asBoolean(false), r.path("type").asText(null), r.path("origin").asText(null)));
            }
            byId = fresh;
            readAt = now;
        }
        return byId;
    }

    /** For a person waiting on a page: a console that cannot answer is a 502 saying why. */
    Map<Long, QradarRule> forPage() {
        try {
            return all();
        } catch (QradarException e) {
            throw new UpstreamException(e.status(), "cannot read QRadar's rules: " + e.getMessage(), null);
        }
    }

    String name(long id) {
        try {
            QradarRule r = all().get(id);
            return r == null ? "rule " + id : r.name();
        } catch (QradarException e) {
            return "rule " + id;
        }
    }

    List<QradarRule> list() {
        return List.copyOf(forPage().values());
    }
}
