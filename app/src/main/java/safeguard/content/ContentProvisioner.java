package safeguard.content;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import safeguard.dsm.CustomProperty;
import safeguard.dsm.Dsm;
import safeguard.dsm.QidRecord;
import safeguard.dsm.ReferenceSet;
import safeguard.http.UrlPath;
import safeguard.qradar.ApiFeature;
import safeguard.qradar.QradarClient;
import safeguard.qradar.ReferenceData;
import safeguard.qradar.QradarException;

/**
 * Makes QRadar hold the content of dsm/ and reference-sets/, through the documented REST API. Idempotent by name:
 * it reads first and writes only what is missing (or its own content that dsm/ changed), so a second run makes no
 * writes. Every creation is recorded in the ledger at once.
 */
final class ContentProvisioner {
    static final String LOG_SOURCE_TYPES = "/config/event_sources/log_source_management/log_source_types";
    static final String LOG_SOURCES = "/config/event_sources/log_source_management/log_sources";
    static final String PROTOCOL_TYPES = "/config/event_sources/log_source_management/protocol_types";
    static final String PROPERTIES = "/config/event_sources/custom_properties/regex_properties";
    static final String PROPERTY_TASKS = "/config/event_sources/custom_properties/regex_property_delete_tasks";
    static final String EXPRESSIONS = "/config/event_sources/custom_properties/property_expressions";
    static final String JSON_EXPRESSIONS = "/config/event_sources/custom_properties/property_json_expressions";
    static final String LOW_LEVEL_CATEGORIES = "/data_classification/low_level_categories";
    static final String QID_RECORDS = "/data_classification/qid_records";
    static final String EVENT_MAPPINGS = "/data_classification/dsm_event_mappings";
    static final String SEED_SOURCE = "Safeguard Responder (reference-sets.json)";

    static final String LST = "log-source-type";
    static final String LOG_SOURCE = "log-source";
    static final String PROPERTY = "custom-property";
    static final String EXPRESSION = "property-expression";
    static final String JSON_EXPRESSION = "property-json-expression";
    static final String QID = "qid-record";
    static final String MAPPING = "dsm-event-mapping";
    static final String SET = "reference-set";
    static final String SEED = "reference-set-seed";
    static final String CUSTOM_ACTION = "custom-action";
    static final String CUSTOM_ACTION_SCRIPT = "custom-action-script";

    private final QradarClient qradar;
    private final Dsm dsm;
    private final List<ReferenceSet> sets;
    private final ContentLedger ledger;
    private final CustomActions customActions;
    private final ActionCaller caller;
    private final java.util.function.Supplier<List<CustomActions.Spec>> actionSpecs;
    private final java.util.function.Supplier<List<String>> logSourceHosts;
    private long syslogProtocolId;
    private ReferenceData referenceData;
    private java.util.function.BooleanSupplier stopping = () -> false;

    ContentProvisioner(QradarClient qradar, Dsm dsm, List<ReferenceSet> sets, ContentLedger ledger) {
        this(qradar, dsm, sets, ledger, null, List::of, List::of, null);
    }

    /**
     * With {@code appUrl}, also one custom action per storage target {@code actionSpecs} lists; one log source of
     * our type per host (syslog identifier) {@code logSourceHosts} lists.
     */
    ContentProvisioner(QradarClient qradar, Dsm dsm, List<ReferenceSet> sets, ContentLedger ledger, String appUrl,
                       java.util.function.Supplier<List<CustomActions.Spec>> actionSpecs,
                       java.util.function.Supplier<List<String>> logSourceHosts, ActionCaller caller) {
        this.caller = caller;
        this.logSourceHosts = logSourceHosts;
        this.qradar = qradar;
        this.dsm = dsm;
        this.sets = sets;
        this.ledger = ledger;
        this.customActions = appUrl == null ? null : new CustomActions(qradar, appUrl, ledger, caller);
        this.actionSpecs = actionSpecs;
    }

    /**
     * Asked between items: once it answers true, a reconcile ends after the item it was writing (whose ledger
     * record is then kept) with a {@link java.util.concurrent.CancellationException}.
     */
    void stopWhen(java.util.function.BooleanSupplier stopping) {
        this.stopping = stopping;
    }

    private void next() {
        if (stopping.getAsBoolean()) {
            throw new java.util.concurrent.CancellationException("the app is stopping");
        }
    }

    int pushActionToken(String token) {
        return customActions == null ? 0 : customActions.pushToken(actionSpecs.get(), token);
    }

    int rotateCaller() {
        if (customActions == null) {
            throw new QradarException(0, 0, "the app has no custom actions to call it with (no console address)");
        }
        return customActions.rotateCaller(actionSpecs.get());
    }

    List<ItemStatus> reconcile() {
        List<ItemStatus> report = new ArrayList<>();
        reconcile(report);
        return report;
    }

    /** Appends to {@code report} as it goes, so a run that fails half-way still shows what it got through. */
    void reconcile(List<ItemStatus> report) {
        qradar.require(ApiFeature.CONTENT);
        long lstId = logSourceType(report);
        for (CustomProperty p : dsm.customProperties()) {
            next();
            String identifier = property(p, report);
            expression(p, identifier, lstId, report);
        }
        next();
        Map<String, Long> qidIds = new LinkedHashMap<>();
        Map<String, Long> llc = lowLevelCategories();
        Map<String, JsonNode> mappings = mappingsOf(lstId);
        List<QidRecord> all = new ArrayList<>(dsm.qidRecords());
        all.add(dsm.fallbackQid());
        for (QidRecord q : all) {
            next();
            qidIds.put(q.eventId(), qid(q, lstId, llc, mappings, report));
        }
        next();
        mappings(lstId, qidIds, mappings, report);
        for (ReferenceSet s : sets) {
            next();
            referenceSet(s, report);
        }
        next();
        logSources(lstId, report);
        if (customActions != null) {
            next();
            customActions.reconcile(actionSpecs.get(), report);
        }
    }

    /** Every piece of content dsm/ and reference-sets/ call for, in reconcile order: the "missing" list. */
    List<ItemStatus> expected() {
        List<ItemStatus> all = new ArrayList<>();
        all.add(new ItemStatus(LST, dsm.logSourceTypeName(), null, "missing", null));
        for (CustomProperty p : dsm.customProperties()) {
            all.add(new ItemStatus(PROPERTY, p.name(), null, "missing", null));
            all.add(new ItemStatus(p.isJson() ? JSON_EXPRESSION : EXPRESSION, p.name(), null, "missing", null));
        }
        for (QidRecord q : dsm.qidRecords()) {
            all.add(new ItemStatus(QID, q.name(), null, "missing", null));
        }
        all.add(new ItemStatus(QID, dsm.fallbackQid().name(), null, "missing", null));
        for (QidRecord q : dsm.qidRecords()) {
            all.add(new ItemStatus(MAPPING, q.eventId(), null, "missing", null));
        }
        for (ReferenceSet s : sets) {
            all.add(new ItemStatus(SET, s.name(), null, "missing", null));
        }
        for (String host : logSourceHosts.get()) {
            all.add(new ItemStatus(LOG_SOURCE, logSourceName(host), null, "missing", null));
        }
        if (customActions != null) {
            for (CustomActions.Spec spec : actionSpecs.get()) {
                all.add(new ItemStatus(CUSTOM_ACTION, CustomActions.PREFIX + spec.target(), null, "missing", null));
            }
        }
        return all;
    }

    private long logSourceType(List<ItemStatus> report) {
        String name = dsm.logSourceTypeName();
        JsonNode found = first(qradar.get(LOG_SOURCE_TYPES, filter("name=" + quoted(name))));
        if (found != null) {
            syslogProtocolId = found.path("default_protocol_id").asLong(syslogProtocolId);
            return present(LST, name, found.get("id").asLong(), report, null);
        }
        JsonNode proto = first(qradar.get(PROTOCOL_TYPES, filter("name=" + quoted(dsm.protocol()))));
        if (proto == null) {
            throw new QradarException(404, 0, "QRadar has no protocol type named " + dsm.protocol());
        }
        long protocolId = proto.get("id").asLong();
        syslogProtocolId = protocolId;
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", name);
        body.put("protocol_types", List.of(Map.of("protocol_id", protocolId)));
        body.put("default_protocol_id", protocolId);
        // A taken name is 422 on this page (not 409): whoever made it first, it is found again by name.
        JsonNode created = createOr(() -> qradar.post(LOG_SOURCE_TYPES, Map.of(), body),
                () -> first(qradar.get(LOG_SOURCE_TYPES, filter("name=" + quoted(name)))));
        return created(LST, name, created, report);
    }

    private String property(CustomProperty p, List<ItemStatus> report) {
        JsonNode found = first(qradar.get(PROPERTIES, filter("name=" + quoted(p.name()))));
        if (found != null) {
            // regex_properties-GET answers the type in upper case (STRING, NUMERIC, ...); POST takes lower case.
            String type = found.path("property_type").asText(p.type());
            present(PROPERTY, p.name(), found.get("id").asLong(), report,
                    type.equalsIgnoreCase(p.type()) ? null : "type is " + type + ", dsm/ says " + p.type());
            return found.get("identifier").asText();
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", p.name());
        body.put("description", p.description());
        body.put("property_type", p.type().toLowerCase(java.util.Locale.ROOT));
        body.put("use_for_rule_engine", p.forRules());
        if (p.datetimeFormat() != null) {
            body.put("datetime_format", p.datetimeFormat());
            body.put("locale", p.locale() == null ? "en-US" : p.locale());
        }
        JsonNode created = createOr(() -> qradar.post(PROPERTIES, Map.of(), body),
                () -> first(qradar.get(PROPERTIES, filter("name=" + quoted(p.name())))));
        created(PROPERTY, p.name(), created, report);
        return created.get("identifier").asText();
    }

    /** A JSON key path where the value is a plain key of the record, else a regex (with its format string). */
    private void expression(CustomProperty p, String identifier, long lstId, List<ItemStatus> report) {
        String table = p.isJson() ? JSON_EXPRESSIONS : EXPRESSIONS;
        String kind = p.isJson() ? JSON_EXPRESSION : EXPRESSION;
        JsonNode found = first(qradar.get(table, filter(
                "regex_property_identifier=" + quoted(identifier) + " and log_source_type_id=" + lstId)));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("regex_property_identifier", identifier);
        body.put("log_source_type_id", lstId);
        if (p.isJson()) {
            body.put("expression", p.jsonExpression());
        } else {
            body.put("regex", p.regex());
            body.put("capture_group", p.captureGroup());
            if (p.formatString() != null) {
                body.put("format_string", p.formatString());
            }
        }
        body.put("enabled", true);
        if (found == null) {
            created(kind, p.name(), qradar.post(table, Map.of(), body), report);
            return;
        }
        long id = found.get("id").asLong();
        boolean same = p.isJson() ? p.jsonExpression().equals(found.path("expression").asText())
                : p.regex().equals(found.path("regex").asText()) && p.captureGroup() == found.path("capture_group").asInt(-1)
                        && java.util.Objects.equals(p.formatString(), textOrNull(found.path("format_string")));
        if (same) {
            present(kind, p.name(), id, report, null);
        } else if (ledger.find(kind, p.name()).map(LedgerEntry::created).orElse(false)) {
            qradar.post(table + "/" + id, Map.of(), body);
            report.add(new ItemStatus(kind, p.name(), Long.toString(id), "updated", "expression changed in dsm/"));
        } else {
            present(kind, p.name(), id, report, "an admin's expression differs from dsm/; left as it is");
        }
    }

    private Map<String, Long> lowLevelCategories() {
        Map<String, Long> byName = new HashMap<>();
        for (JsonNode c : qradar.getAll(LOW_LEVEL_CATEGORIES, Map.of("fields", "id,name"))) {
            byName.put(c.path("name").asText(), c.path("id").asLong());
        }
        return byName;
    }

    /** Our type's event mappings in our category, by event id: where QRadar lets us find our QID records again. */
    private Map<String, JsonNode> mappingsOf(long lstId) {
        String category = dsm.eventCategoryValue();
        Map<String, JsonNode> byEvent = new HashMap<>();
        for (JsonNode m : qradar.getAll(EVENT_MAPPINGS, filter("log_source_type_id=" + lstId))) {
            if (category.equals(m.path("log_source_event_category").asText())) {
                byEvent.put(m.path("log_source_event_id").asText(), m);
            }
        }
        return byEvent;
    }

    /**
     * A QID record's log_source_type_id is "a placeholder with null value" in every answer, so a record is found
     * again through, in order: our type's mapping for its event, the id the ledger kept, its (specific) name —
     * the last one covers a crash between QRadar's answer and the ledger write.
     */
    private long qid(QidRecord q, long lstId, Map<String, Long> llc, Map<String, JsonNode> mappings,
                     List<ItemStatus> report) {
        // Category names are checked on the box: an id from dsm/ that QRadar names differently is not trusted.
        long category = llc.getOrDefault(q.lowLevelCategory(), (long) q.lowLevelCategoryId());
        JsonNode found = null;
        JsonNode mapping = mappings.get(q.eventId());
        if (mapping != null) {
            found = byId(QID_RECORDS, mapping.path("qid_record_id").asText());
        }
        if (found == null) {
            found = ledger.find(QID, q.name()).map(e -> byId(QID_RECORDS, e.id())).orElse(null);
        }
        if (found == null) {
            found = qradar.getAll(QID_RECORDS, filter("name=" + quoted(q.name()))).stream().findFirst().orElse(null);
        }
        if (found != null) {
            long id = found.get("id").asLong();
            boolean same = found.path("severity").asInt() == q.severity()
                    && found.path("low_level_category_id").asLong() == category;
            return present(QID, q.name(), id, report, same ? null : "severity or category differs from dsm/");
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("log_source_type_id", lstId);
        body.put("name", q.name());
        body.put("description", q.description());
        body.put("severity", q.severity());
        body.put("low_level_category_id", category);
        JsonNode created = qradar.post(QID_RECORDS, Map.of(), body);
        return created(QID, q.name(), created, report);
    }

    private JsonNode byId(String collection, String id) {
        try {
            return qradar.get(collection + "/" + UrlPath.segment(id), Map.of());
        } catch (QradarException e) {
            if (e.isNotFound()) {
                return null;
            }
            throw e;
        }
    }

    private void mappings(long lstId, Map<String, Long> qidIds, Map<String, JsonNode> existing, List<ItemStatus> report) {
        String category = dsm.eventCategoryValue();
        for (QidRecord q : dsm.qidRecords()) {
            JsonNode m = existing.get(q.eventId());
            long qidId = qidIds.get(q.eventId());
            if (m != null) {
                present(MAPPING, q.eventId(), m.get("id").asLong(), report,
                        m.path("qid_record_id").asLong() == qidId ? null : "mapped to another QID record");
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("log_source_type_id", lstId);
            body.put("log_source_event_id", q.eventId());
            body.put("log_source_event_category", category);
            body.put("qid_record_id", qidId);
            try {
                created(MAPPING, q.eventId(), qradar.post(EVENT_MAPPINGS, Map.of(), body), report);
            } catch (QradarException e) {
                if (!e.isConflict()) {
                    throw e;
                }
                // 409/1008: a mapping for this event appeared since we read; it is someone else's.
                JsonNode again = mappingsOf(lstId).get(q.eventId());
                present(MAPPING, q.eventId(), again == null ? 0 : again.get("id").asLong(), report, null);
            }
        }
    }

    /**
     * Found by name through the endpoints the negotiated version offers (the collections API from 16.0): a set
     * made earlier through the legacy endpoints is the same set there, adopted with its collection id, never
     * made twice.
     */
    private void referenceSet(ReferenceSet s, List<ItemStatus> report) {
        ReferenceData data = referenceData();
        boolean oursBefore = ledger.find(SET, s.name()).map(LedgerEntry::created).orElse(false);
        ReferenceData.SetInfo set = data.find(s.name()).orElse(null);
        boolean created = false;
        if (set == null) {
            try {
                set = data.create(new ReferenceData.NewSet(s.name(), s.elementType(), s.description(), s.timeoutType(),
                        s.timeToLive()));
                created = true;
            } catch (QradarException e) {
                if (!e.isConflict()) {
                    throw e;
                }
                // 409: it appeared between our read and our write; someone else's
                set = data.find(s.name()).orElseThrow(() -> e);
            }
        }
        ledger.record(new LedgerEntry(SET, s.name(), set.id(), created || oursBefore));
        report.add(new ItemStatus(SET, s.name(), set.id(), created ? "created" : "present", null));
        // Initial elements go in once, into a set the app created; an admin's own set is theirs.
        boolean ours = ledger.find(SET, s.name()).map(LedgerEntry::created).orElse(false);
        if (ours && ledger.find(SEED, s.name()).isEmpty() && !s.elements().isEmpty()) {
            data.add(set, s.stored(s.elements()), SEED_SOURCE);
            ledger.record(new LedgerEntry(SEED, s.name(), set.id(), true));
            report.add(new ItemStatus(SEED, s.name(), set.id(), "created", s.elements().size() + " initial elements"));
        }
    }

    private ReferenceData referenceData() {
        if (referenceData == null) {
            referenceData = ReferenceData.of(qradar);
        }
        return referenceData;
    }

    /**
     * One log source of our type per Scale host that forwards audit records: without a log source QRadar parses
     * nothing with this DSM. Found again by the syslog identifier in its protocol parameters.
     */
    private void logSources(long lstId, List<ItemStatus> report) {
        List<String> hosts = logSourceHosts.get();
        if (hosts.isEmpty()) {
            return;
        }
        Map<String, JsonNode> byIdentifier = new HashMap<>();
        for (JsonNode ls : qradar.getAll(LOG_SOURCES, filter("type_id=" + lstId))) {
            for (JsonNode p : ls.path("protocol_parameters")) {
                if (p.path("name").asText().equals("identifier")) {
                    byIdentifier.put(p.path("value").asText(), ls);
                }
            }
        }
        for (String host : hosts) {
            String name = logSourceName(host);
            JsonNode found = byIdentifier.get(host);
            if (found != null) {
                present(LOG_SOURCE, name, found.get("id").asLong(), report, null);
                continue;
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("name", name);
            body.put("description", "Storage Scale file audit records from " + host + " (made by Safeguard Responder)");
            body.put("type_id", lstId);
            body.put("protocol_type_id", syslogProtocolId);
            body.put("protocol_parameters", List.of(Map.of("name", "identifier", "value", host)));
            body.put("enabled", true);
            try {
                created(LOG_SOURCE, name, qradar.post(LOG_SOURCES, Map.of(), body), report);
            } catch (QradarException e) {
                if (!e.isConflict()) {
                    throw e;
                }
                // 409: the name, or this type + protocol + identifier, is taken by a log source someone else made.
                report.add(new ItemStatus(LOG_SOURCE, name, null, "drifted", "QRadar already has a log source "
                        + "with this name or identifier: " + e.getMessage()));
            }
        }
    }

    static String logSourceName(String host) {
        return "Storage Scale audit @ " + host;
    }

    private static String textOrNull(JsonNode n) {
        return n == null || n.isNull() || n.isMissingNode() ? null : n.asText();
    }

    UninstallResult uninstall() {
        return new ContentRemover(qradar, ledger, caller).uninstall();
    }

    private static JsonNode createOr(java.util.function.Supplier<JsonNode> create,
                              java.util.function.Supplier<JsonNode> refetch) {
        try {
            return create.get();
        } catch (QradarException e) {
            // Pages differ on a taken name: 409 for some, 422 for log source types and properties. Read again.
            if (!e.isConflict() && e.status() != 422) {
                throw e;
            }
            // Someone created it between our read and our write: it exists, and it is not ours.
            JsonNode again = refetch.get();
            if (again == null) {
                throw e;
            }
            return markFound(again);
        }
    }

    private static JsonNode markFound(JsonNode node) {
        ((com.fasterxml.jackson.databind.node.ObjectNode) node).put("_found", true);
        return node;
    }

    /** Found in QRadar; {@code drift} says how it differs from dsm/ (null: it does not). */
    private long present(String kind, String name, long id, List<ItemStatus> report, String drift) {
        ledger.record(new LedgerEntry(kind, name, Long.toString(id), false));
        report.add(new ItemStatus(kind, name, Long.toString(id), drift == null ? "present" : "drifted", drift));
        return id;
    }

    private long created(String kind, String name, JsonNode node, List<ItemStatus> report) {
        long id = node.get("id").asLong();
        if (node.path("_found").asBoolean(false)) {
            return present(kind, name, id, report, null);
        }
        ledger.record(new LedgerEntry(kind, name, Long.toString(id), true));
        report.add(new ItemStatus(kind, name, Long.toString(id), "created", null));
        return id;
    }

    private static JsonNode first(JsonNode list) {
        return list != null && list.isArray() && !list.isEmpty() ? list.get(0) : null;
    }

    private static Map<String, Object> filter(String expression) {
        return Map.of("filter", expression);
    }

    private static String quoted(String value) {
        return "\"" + Objects.requireNonNull(value).replace("\"", "\\\"") + "\"";
    }

}
