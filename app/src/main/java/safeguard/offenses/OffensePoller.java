package safeguard.offenses;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.actions.ActionAnswer;
import safeguard.actions.ActionContext;
import safeguard.actions.ActionRequest;
import safeguard.qradar.QradarClient;
import safeguard.qradar.QradarException;
import safeguard.settings.Settings;
import safeguard.store.Store;
import safeguard.targets.TargetService;

/**
 * Reads QRadar's offenses that changed since the bookmark and starts one action per offense (and target) whose
 * {@code rules} hold a rule of an offense trigger. Offenses are read with {@code filter=last_persisted_time >= T},
 * {@code sort=+last_persisted_time}, only the fields used, in {@code Range} pages; each page moves {@code T}
 * forward (keyset paging: an offense that changes meanwhile moves to the end, it is never skipped). An offense
 * seen again (more events, closed) is the incident it already is: nothing new is started.
 */
final class OffensePoller {
    private static final Logger LOG = LoggerFactory.getLogger(OffensePoller.class);
    static final String FIELDS = "id,start_time,last_persisted_time,offense_type,offense_source,rules";
    static final int PAGE = 100;
    /** Pages read per poll at most; the rest is read by the next poll, from where this one stopped. */
    static final int MAX_PAGES = 50;
    /** offense_type 3 (siem-offense_types): the offense's source is a username. */
    static final int USERNAME_OFFENSE = 3;
    static final String LACKS = "the app's QRadar authorization lacks the offenses capability";
    static final Duration MAX_BACKOFF = Duration.ofMinutes(5);

    private final QradarClient qradar;
    private final Store store;
    private final Supplier<Settings> settings;
    private final Rules rules;
    private final TargetService targets;
    private final Function<ActionRequest, ActionAnswer> submit;
    private final OffenseNotes notes;
    private final Clock clock;
    private Bookmark bookmark;
    private volatile PollerStatus status = new PollerStatus("off", "no offense triggers", null, null, 0, null);
    private int failures;

    OffensePoller(QradarClient qradar, Store store, Supplier<Settings> settings, Rules rules, TargetService targets,
                  Function<ActionRequest, ActionAnswer> submit, OffenseNotes notes, Clock clock) {
        this.qradar = qradar;
        this.store = store;
        this.settings = settings;
        this.rules = rules;
        this.targets = targets;
        this.submit = submit;
        this.notes = notes;
        this.clock = clock;
        this.bookmark = Bookmark.read(store).orElse(null);
    }

    PollerStatus status() {
        return status;
    }

    /** The pause before the next poll: the setting, or longer while QRadar refuses or is unwell. */
    synchronized Duration nextDelay() {
        Duration every = Duration.ofSeconds(settings.get().offensePollSeconds());
        if (failures == 0) {
            return every;
        }
        Duration d = every.multipliedBy(1L << Math.min(failures, 5));
        return d.compareTo(MAX_BACKOFF) > 0 ? MAX_BACKOFF : d;
    }

    /** One poll (the scheduler's, or an admin's "poll now"; never two at once). */
    synchronized PollResult poll() {
        List<OffenseTrigger> triggers = settings.get().offenseTriggers();
        String at = clock.instant().toString();
        if (triggers == null || triggers.isEmpty()) {
            if (bookmark != null) {
                // Triggers added later start from that moment, not from offenses of the time in between.
                Bookmark.forget(store);
                bookmark = null;
            }
            status = new PollerStatus("off", "no offense triggers", at, null, 0, null);
            return new PollResult(0, 0, 0, List.of());
        }
        int[] requests = {0};
        long[] bytes = {0};
        try {
            if (bookmark == null) {
                bookmark = baseline(requests, bytes);
                bookmark.write(store);
            }
            PollResult p = read(triggers, requests, bytes);
            failures = 0;
            status = new PollerStatus("ok", p.started().isEmpty() ? "watching " + triggers.size() + " rule(s)"
                    : "started " + p.started().size() + " action(s)", at, bookmark.after(), bookmark.acted().size(), null);
            return p;
        } catch (QradarException e) {
            failures++;
            String retry = clock.instant().plus(nextDelay()).toString();
            if (e.status() == 401 || e.status() == 403) {
                status = new PollerStatus("unauthorized", LACKS + " (" + e.getMessage() + ")", at,
                        bookmark == null ? null : bookmark.after(), bookmark == null ? 0 : bookmark.acted().size(), retry);
            } else {
                boolean unwell = e.status() == 0 || e.status() == 429 || e.status() >= 500;
                status = new PollerStatus(unwell ? "backing-off" : "error", "QRadar's offenses: " + e.getMessage(), at,
                        bookmark == null ? null : bookmark.after(), bookmark == null ? 0 : bookmark.acted().size(), retry);
            }
            LOG.warn("offense poll failed ({}); next in {}", e.getMessage(), nextDelay());
            return new PollResult(requests[0], bytes[0], 0, List.of());
        } catch (RuntimeException e) {
            // The journal or the store refused: the bookmark has not moved past what was not acted on.
            failures++;
            status = new PollerStatus("error", "offense poll failed: " + e.getMessage(), at,
                    bookmark == null ? null : bookmark.after(), bookmark == null ? 0 : bookmark.acted().size(),
                    clock.instant().plus(nextDelay()).toString());
            LOG.warn("offense poll failed", e);
            return new PollResult(requests[0], bytes[0], 0, List.of());
        }
    }

    /**
     * Starts just after the newest offense change on the console: offenses from before the triggers are not acted
     * on (one request, one row, whatever the console holds).
     */
    private Bookmark baseline(int[] requests, long[] bytes) {
        JsonNode newest = qradar.getRange("/siem/offenses", Map.of("fields", "id,last_persisted_time",
                "sort", "-last_persisted_time"), 0, 0);
        requests[0]++;
        bytes[0] += newest.toString().length();
        long top = newest.isEmpty() ? 0 : newest.get(0).path("last_persisted_time").asLong();
        return new Bookmark(top + 1, List.of(), Map.of());
    }

    private PollResult read(List<OffenseTrigger> triggers, int[] requests, long[] bytes) {
        List<String> started = new ArrayList<>();
        int read = 0;
        int offset = 0;
        for (int page = 0; page < MAX_PAGES; page++) {
            long from = bookmark.after();
            JsonNode rows = qradar.getRange("/siem/offenses", Map.of("fields", FIELDS,
                    "filter", "last_persisted_time >= " + from, "sort", "+last_persisted_time"), offset, offset + PAGE - 1);
            requests[0]++;
            bytes[0] += rows.toString().length();
            long last = from;
            List<Long> atLast = new ArrayList<>(bookmark.idsAtAfter());
            for (JsonNode o : rows) {
                long id = o.path("id").asLong();
                long t = o.path("last_persisted_time").asLong();
                if (t > last) {
                    last = t;
                    atLast = new ArrayList<>();
                }
                if (t == from && bookmark.idsAtAfter().contains(id)) {
                    continue; // read at the end of the last page or poll
                }
                read++;
                act(o, triggers, started);
                if (t == last && !atLast.contains(id)) {
                    atLast.add(id);
                }
            }
            bookmark = bookmark.movedTo(last, atLast);
            bookmark.write(store);
            if (rows.size() < PAGE) {
                break;
            }
            // Offsets only within one millisecond that fills a whole page; otherwise the filter moves on.
            offset = last == from ? offset + PAGE : 0;
        }
        return new PollResult(requests[0], bytes[0], read, started);
    }

    private void act(JsonNode offense, List<OffenseTrigger> triggers, List<String> started) {
        long id = offense.path("id").asLong();
        List<Long> ruleIds = new ArrayList<>();
        offense.path("rules").forEach(r -> ruleIds.add(r.path("id").asLong()));
        for (OffenseTrigger t : triggers) {
            if (!ruleIds.contains(t.ruleId()) || bookmark.actedOn(id, t.target()) != null) {
                continue;
            }
            String type;
            try {
                type = OffenseTriggers.ACTION_OF_KIND.get(targets.target(t.target()).kind());
            } catch (RuntimeException gone) {
                LOG.warn("offense {} matches rule {} but target {} no longer exists", id, t.ruleId(), t.target());
                continue;
            }
            String user = offense.path("offense_type").asInt(-1) == USERNAME_OFFENSE
                    ? offense.path("offense_source").asText(null) : null;
            String eventTime = offense.hasNonNull("start_time")
                    ? Instant.ofEpochMilli(offense.get("start_time").asLong()).toString() : null;
            ActionContext context = new ActionContext(truncate(rules.name(t.ruleId()), 255), truncate(user, 255), null,
                    null, eventTime, Long.toString(id));
            // The same key for the same offense and target: re-read after a crash, it gets the same answer.
            ActionAnswer a = submit.apply(new ActionRequest(type, t.target(), context,
                    "qradar-offense-" + id + "-" + t.target(), null, null, null));
            String incident = a.coalescedInto() != null ? a.coalescedInto() : a.id();
            bookmark = bookmark.withActed(id, t.target(), incident);
            bookmark.write(store);
            notes.watch(Long.toString(id), incident);
            started.add(a.id());
            LOG.info("offense {} (rule {}) on {}: action {} {}", id, t.ruleId(), t.target(), a.id(), a.status());
        }
    }

    private static String truncate(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
