package safeguard.qradar;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import safeguard.qradar.FakeConsole.Page;

/**
 * What readiness reads of the console: log sources as they receive events, and analytics rules.
 *
 * <p>log_sources-GET (26.0--config-event_sources-log_source_management-log_sources-GET) documents, per log source,
 * {@code creation_date} and {@code modified_date} ("in milliseconds since epoch") and {@code last_event_time} ("the
 * date/time of the last event received by the log source (in milliseconds since epoch)"). The console keeps the
 * time of the last event on the log source itself, so that is where this fake keeps it: a log source that has
 * received nothing answers 0 (the page documents a Number, never null), and {@link #eventArrives} moves it on.
 *
 * <p>rules-GET (26.0--analytics-rules-GET): {@code id}, {@code name}, {@code enabled}, {@code type}, {@code origin},
 * {@code owner}; filter, fields and Range as every list.
 */
public final class LogSourcePages {
    static final String LOG_SOURCES = ContentPages.LOG_SOURCES;
    static final String RULES = "/analytics/rules";

    private final FakeConsole c;

    LogSourcePages(FakeConsole console) {
        this.c = console;
    }

    void register(Map<String, Page> pages) {
        // Replaces ContentPages' plain list: the same rows, with the times the console keeps on each.
        pages.put("GET " + LOG_SOURCES, call -> c.list(call, c.rows(LOG_SOURCES).stream().map(this::timed).toList()));
        // GET /analytics/rules is OffensePages' (with the capability it needs); rules are arranged here too.
    }

    private ObjectNode timed(ObjectNode ls) {
        if (!ls.has("creation_date")) {
            long now = System.currentTimeMillis();
            ls.put("creation_date", now).put("modified_date", now).put("last_event_time", 0L);
        }
        return ls;
    }

    // ---- what tests arrange -------------------------------------------------------------------------------------

    /** The log source whose syslog identifier is {@code host} received an event at {@code at}. */
    public void eventArrives(String host, Instant at) {
        synchronized (c) {
            for (ObjectNode ls : c.rows(LOG_SOURCES)) {
                if (host.equals(ls.path("_identifier").asText())) {
                    timed(ls).put("last_event_time", at.toEpochMilli());
                    return;
                }
            }
            throw new AssertionError("the console has no log source for " + host);
        }
    }

    /** An admin's rule, as rules-GET lists it. */
    public ObjectNode adminCreatesRule(String name, boolean enabled) {
        synchronized (c) {
            ObjectNode r = FakeConsole.obj("id", c.ids.incrementAndGet(), "name", name, "type", "EVENT",
                    "enabled", enabled, "owner", "admin", "origin", "USER",
                    "identifier", java.util.UUID.randomUUID().toString());
            c.rows(RULES).add(r);
            return r;
        }
    }

    public void disables(String rule) {
        synchronized (c) {
            c.rows(RULES).stream().filter(r -> r.path("name").asText().equals(rule))
                    .forEach(r -> r.put("enabled", false));
        }
    }
}
