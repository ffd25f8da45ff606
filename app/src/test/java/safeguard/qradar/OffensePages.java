package safeguard.qradar;

import static safeguard.qradar.FakeConsole.error;
import static safeguard.qradar.FakeConsole.json;
import static safeguard.qradar.FakeConsole.obj;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import safeguard.qradar.FakeConsole.Call;
import safeguard.qradar.FakeConsole.Page;

/**
 * Offenses, their notes and the rules, as API 26.0 documents them: {@code 26.0--siem-offenses-GET} (fields marked
 * Filterable / Sortable; 422/1010 on a filter, 422/1030 on a sort it does not allow; {@code Range} answered with
 * {@code Content-Range}), {@code 26.0--siem-offenses-offense_id-notes-GET/-POST} (404/1002 for an unknown offense;
 * {@code note_text} a query parameter; no note field is marked Filterable) and {@code 26.0--analytics-rules-GET}
 * (no field marked Filterable, no sort parameter). The pages do not name a capability; qradar-platform notes that
 * offenses need the Offenses (SEM) capability, which an authorized service without it answers 403/26 (the API
 * overview's code for missing capabilities), and so do the rules that make them.
 */
public final class OffensePages {
    static final String OFFENSES = "/siem/offenses";
    static final String RULES = "/analytics/rules";
    /** siem-offenses-GET: fields marked "(Filterable." */
    static final Set<String> FILTERABLE = Set.of("id", "assigned_to", "categories", "category_count",
            "policy_category_count", "security_category_count", "close_time", "closing_user", "closing_reason_id",
            "credibility", "relevance", "severity", "magnitude", "destination_networks", "device_count",
            "event_count", "flow_count", "inactive", "last_updated_time", "local_destination_count", "offense_type",
            "protected", "follow_up", "remote_destination_count", "source_count", "start_time", "status",
            "username_count", "source_address_ids", "local_destination_address_ids", "domain_id",
            "last_persisted_time", "first_persisted_time", "rules", "log_sources");
    /** siem-offenses-GET: fields marked "Sortable." */
    static final Set<String> SORTABLE = Set.of("id", "assigned_to", "categories", "category_count",
            "policy_category_count", "security_category_count", "close_time", "closing_user", "closing_reason_id",
            "credibility", "relevance", "severity", "magnitude", "device_count", "event_count", "flow_count",
            "inactive", "last_updated_time", "offense_source", "offense_type", "protected", "follow_up",
            "remote_destination_count", "start_time", "username_count", "last_persisted_time",
            "first_persisted_time");
    /** What the app's authorised service may do; ADMIN holds every capability. */
    final Set<String> capabilities = new HashSet<>(Set.of("ADMIN"));
    /** Milliseconds since epoch as the console stamps offenses: tests move it, so nothing here waits. */
    final AtomicLong now = new AtomicLong(1_780_000_000_000L);
    private final FakeConsole c;
    private CountDownLatch notesHeld;
    private final java.util.concurrent.atomic.AtomicInteger waiting = new java.util.concurrent.atomic.AtomicInteger();
    private int failNotesAfterWriting;

    OffensePages(FakeConsole console) {
        this.c = console;
    }

    void register(Map<String, Page> pages) {
        pages.put("GET " + OFFENSES, this::offenses);
        pages.put("GET " + OFFENSES + "/{offense_id}/notes", this::notes);
        pages.put("POST " + OFFENSES + "/{offense_id}/notes", this::note);
        pages.put("GET " + RULES, this::rules);
    }

    static void document() {
        ConsoleContract.list(OFFENSES, "26.0--siem-offenses-GET", "sort");
        ConsoleContract.list(OFFENSES + "/{offense_id}/notes", "26.0--siem-offenses-offense_id-notes-GET");
        ConsoleContract.add("POST", OFFENSES + "/{offense_id}/notes", "26.0--siem-offenses-offense_id-notes-POST",
                "application/json", Set.of("note_text", "fields"), Set.of(), Set.of("note_text"),
                ConsoleContract.Body.NONE, Set.of(), Set.of());
        ConsoleContract.list(RULES, "26.0--analytics-rules-GET");
    }

    // ---- what tests arrange ------------------------------------------------------------------------------------

    /** A rule as an admin made it (analytics-rules-GET's fields). */
    public ObjectNode rule(long id, String name, boolean enabled) {
        synchronized (c) {
            ObjectNode r = obj("id", id, "name", name, "type", "EVENT", "enabled", enabled, "owner", "admin",
                    "origin", "USER", "identifier", java.util.UUID.randomUUID().toString());
            r.putNull("linked_rule_identifier");
            r.put("creation_date", now.get()).put("modification_date", now.get());
            c.rows(RULES).add(r);
            return r;
        }
    }

    /** The console's clock, milliseconds since epoch. */
    public long now() {
        return now.get();
    }

    /** The console's clock moves on (offense times are stamped with it). */
    public long advance(long millis) {
        return now.addAndGet(millis);
    }

    /**
     * Rule {@code ruleId} fires: a new offense (siem-offenses-GET's fields), its events starting at
     * {@code startTime}; {@code username} makes it a username offense (offense_type 3, the user its source).
     */
    public long create(long ruleId, long startTime, String username) {
        synchronized (c) {
            long id = c.ids.incrementAndGet();
            long t = now.get();
            ObjectNode o = obj("id", id, "description", "Ransomware activity on Storage Scale", "status", "OPEN",
                    "event_count", 1, "flow_count", 0, "start_time", startTime, "last_updated_time", startTime,
                    "first_persisted_time", t, "last_persisted_time", t, "offense_type", username == null ? 0 : 3,
                    "offense_source", username == null ? "10.1.2.3" : username, "magnitude", 5, "severity", 6,
                    "credibility", 3, "relevance", 4, "inactive", false, "protected", false, "follow_up", false,
                    "username_count", username == null ? 0 : 1, "category_count", 1, "device_count", 1,
                    "source_count", 1, "local_destination_count", 1, "remote_destination_count", 0,
                    "domain_id", 0, "assigned_to", null, "closing_user", null, "closing_reason_id", null,
                    "close_time", null);
            o.putArray("rules").add(obj("id", ruleId, "type", "CRE_RULE"));
            o.putArray("categories").add("File Deleted");
            o.putArray("log_sources").add(obj("id", 62, "name", "Storage Scale audit", "type_id", 4001,
                    "type_name", "Storage Scale"));
            c.rows(OFFENSES).add(o);
            c.offenses.add(id);
            return id;
        }
    }

    /** More events join offense {@code id}: its counts and times change, so it is persisted again. */
    public void addEvents(long id, int events, String fromRule) {
        synchronized (c) {
            ObjectNode o = c.byId(OFFENSES, Long.toString(id));
            long t = now.get();
            o.put("event_count", o.path("event_count").asInt() + events).put("last_updated_time", t)
                    .put("last_persisted_time", t);
            if (fromRule != null) {
                o.withArray("rules").add(obj("id", Long.parseLong(fromRule), "type", "CRE_RULE"));
            }
        }
    }

    /** Offenses already on the console, from rules the app is not told about (the benchmark's 10,000). */
    public void history(int count, long ruleId) {
        for (int i = 0; i < count; i++) {
            now.incrementAndGet();
            create(ruleId, now.get() - 60_000, null);
        }
    }

    public List<ObjectNode> notesOf(long offense) {
        synchronized (c) {
            return List.copyOf(c.rows(OFFENSES + "/" + offense + "/notes"));
        }
    }

    /** The authorised service loses a capability (its user role changed). */
    public void withhold(String capability) {
        synchronized (c) {
            capabilities.remove(capability);
            capabilities.remove("ADMIN");
        }
    }

    /** Note POSTs wait until the returned latch is released (a console slow to answer notes). */
    public CountDownLatch holdNotes() {
        synchronized (c) {
            notesHeld = new CountDownLatch(1);
            return notesHeld;
        }
    }

    /** Note POSTs waiting for {@link #holdNotes}' latch now. */
    public int notesWaiting() {
        return waiting.get();
    }

    /** The next {@code n} note POSTs store the note and then answer 500/1020, as if the answer were lost. */
    public void loseNoteAnswers(int n) {
        synchronized (c) {
            failNotesAfterWriting = n;
        }
    }

    // ---- the pages ---------------------------------------------------------------------------------------------

    private void capable(Call call) {
        if (!c.validTokens.contains(call.request().getHeader("SEC"))) {
            return; // a user's session: AccessPages' users carry their own roles
        }
        if (!capabilities.contains("ADMIN") && !capabilities.contains("SEM")) {
            throw new FakeConsole.Refused(error(403, 26,
                    "You do not have the required capabilities to access this resource."));
        }
    }

    private ResponseDefinition offenses(Call call) {
        capable(call);
        QradarFilter filter = QradarFilter.parse(call.query("filter"));
        if (filter == null) {
            throw c.refuse(call, "filter is not QRadar filter syntax: " + call.query("filter"), 422, 1010,
                    "The filter parameter is not valid.");
        }
        for (String f : filter.fields()) {
            if (!FILTERABLE.contains(f)) {
                throw c.refuse(call, "filter on '" + f + "', which the page does not mark Filterable", 422, 1010,
                        "The filter parameter is not valid.");
            }
        }
        List<ObjectNode> rows = new ArrayList<>(c.rows(OFFENSES));
        String sort = call.query("sort");
        if (sort != null) {
            Comparator<ObjectNode> order = null;
            for (String part : sort.split(",")) {
                String p = part.trim();
                boolean desc = p.startsWith("-");
                String f = p.startsWith("+") || p.startsWith("-") ? p.substring(1) : p;
                if (!SORTABLE.contains(f)) {
                    throw c.refuse(call, "sort on '" + f + "', which the page does not mark Sortable", 422, 1030,
                            "The sort field or order is not valid");
                }
                Comparator<ObjectNode> one = Comparator.comparingLong(o -> o.path(f).asLong());
                one = desc ? one.reversed() : one;
                order = order == null ? one : order.thenComparing(one);
            }
            rows.sort(order);
        }
        return c.list(call, rows);
    }

    private ResponseDefinition notes(Call call) {
        capable(call);
        long id = Long.parseLong(call.var("offense_id"));
        if (!c.offenses.contains(id)) {
            return error(404, 1002, "No offense was found for the provided offense_id.");
        }
        if (call.query("filter") != null) {
            throw c.refuse(call, "filter on notes: the page marks no Note field Filterable", 422, 1010,
                    "The filter parameter is not valid.");
        }
        return c.list(call, c.rows(OFFENSES + "/" + id + "/notes"));
    }

    // siem-offenses-offense_id-notes-POST: note_text is a query parameter; 404/1002 for an unknown offense.
    private ResponseDefinition note(Call call) {
        capable(call);
        long id = Long.parseLong(call.var("offense_id"));
        if (!c.offenses.contains(id)) {
            return error(404, 1002, "No offense was found for the provided offense_id.");
        }
        CountDownLatch held = notesHeld;
        if (held != null) {
            waiting.incrementAndGet();
            try {
                held.await(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }
        ObjectNode note = obj("id", c.ids.incrementAndGet(), "note_text", call.query("note_text"),
                "create_time", now.get(), "username", "API_token: safeguard");
        c.rows(OFFENSES + "/" + id + "/notes").add(note);
        if (failNotesAfterWriting > 0) {
            failNotesAfterWriting--;
            return error(500, 1020, "An error occurred while attempting to create the note.");
        }
        return json(201, note);
    }

    private ResponseDefinition rules(Call call) {
        capable(call);
        if (call.query("filter") != null) {
            throw c.refuse(call, "filter on rules: the page marks no rule field Filterable", 422, 1010,
                    "A request parameter is not valid.");
        }
        return c.list(call, c.rows(RULES));
    }
}
