package safeguard.qradar;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What IBM's QRadar REST API 26.0 reference documents for every endpoint the app calls, one entry per page
 * (pages named {@code 26.0--<path with - for />-<METHOD>.html}; public copy: binhnguyen143/qradar_api_26.0_docs).
 * Each entry holds the page's "request parameter details" (query vs header), required query parameters, the
 * request body and its required fields, and the "resource details" MIME type of the answer. The fake console
 * refuses, and records as a violation, any request that does not fit its page.
 */
final class ConsoleContract {

    enum Body { NONE, JSON_OBJECT, JSON_ARRAY, OCTETS }

    /** One documented endpoint. {@code bodyFields} empty: the page lists no fields to check against. */
    record Endpoint(String method, String template, String page, String mime, Set<String> query, Set<String> headers,
                    Set<String> requiredQuery, Body body, Set<String> bodyFields, Set<String> requiredBody) {

        Map<String, String> match(String method, List<String> segments) {
            if (!this.method.equals(method)) {
                return null;
            }
            String[] parts = template.substring(1).split("/");
            if (parts.length != segments.size()) {
                return null;
            }
            Map<String, String> vars = new LinkedHashMap<>();
            for (int i = 0; i < parts.length; i++) {
                if (parts[i].startsWith("{")) {
                    vars.put(parts[i].substring(1, parts[i].length() - 1), segments.get(i));
                } else if (!parts[i].equals(segments.get(i))) {
                    return null;
                }
            }
            return vars;
        }

        String key() {
            return method + " " + template;
        }
    }

    /** Lists: fields and filter in the query, Range as a header (every list page's parameter table). */
    private static final Set<String> LIST_QUERY = Set.of("fields", "filter");
    private static final Set<String> RANGE = Set.of("Range");
    /** Creates and updates: fields is a *header* on POST pages, not a query parameter. */
    private static final Set<String> FIELDS_HEADER = Set.of("fields");
    private static final String JSON = "application/json";
    private static final String TEXT = "text/plain";

    static final List<Endpoint> ENDPOINTS = new ArrayList<>();

    static void add(String method, String template, String page, String mime, Set<String> query,
                            Set<String> headers, Set<String> requiredQuery, Body body, Set<String> bodyFields,
                            Set<String> requiredBody) {
        ENDPOINTS.add(new Endpoint(method, template, page, mime, query, headers, requiredQuery, body, bodyFields,
                requiredBody));
    }

    static void list(String template, String page, String... extraQuery) {
        Set<String> q = new java.util.HashSet<>(LIST_QUERY);
        q.addAll(List.of(extraQuery));
        add("GET", template, page, JSON, q, RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
    }

    private static void one(String template, String page) {
        add("GET", template, page, JSON, Set.of("fields"), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
    }

    private static void create(String template, String page, Set<String> fields, Set<String> required) {
        add("POST", template, page, JSON, Set.of(), FIELDS_HEADER, Set.of(), Body.JSON_OBJECT, fields, required);
    }

    static {
        list("/help/versions", "26.0--help-versions-GET");

        String lst = "/config/event_sources/log_source_management/log_source_types";
        list(lst, "26.0--config-event_sources-log_source_management-log_source_types-GET");
        create(lst, "26.0--config-event_sources-log_source_management-log_source_types-POST",
                Set.of("name", "protocol_types", "default_protocol_id", "log_source_extension_id", "uuid"),
                Set.of("name", "protocol_types"));
        one(lst + "/{id}", "26.0--config-event_sources-log_source_management-log_source_types-id-GET");
        add("DELETE", lst + "/{id}", "26.0--config-event_sources-log_source_management-log_source_types-id-DELETE",
                TEXT, Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        list("/config/event_sources/log_source_management/protocol_types",
                "26.0--config-event_sources-log_source_management-protocol_types-GET");

        String ls = "/config/event_sources/log_source_management/log_sources";
        add("GET", ls, "26.0--config-event_sources-log_source_management-log_sources-GET", JSON,
                Set.of("fields", "filter", "sort"), Set.of("Range", "x-qrd-encryption-algorithm",
                        "x-qrd-encryption-password"), Set.of(), Body.NONE, Set.of(), Set.of());
        create(ls, "26.0--config-event_sources-log_source_management-log_sources-POST",
                Set.of("name", "description", "type_id", "protocol_type_id", "protocol_parameters", "enabled",
                        "gateway", "internal", "credibility", "target_event_collector_id", "coalesce_events",
                        "store_event_payload", "language_id", "group_ids", "requires_deploy", "sending_ip",
                        "parsing_order", "log_source_extension_id", "disconnected_log_collector_id",
                        "legacy_bulk_group_name", "wincollect_internal_destination_id",
                        "wincollect_external_destination_ids"),
                Set.of("name", "type_id", "protocol_type_id", "protocol_parameters"));
        add("DELETE", ls + "/{id}", "26.0--config-event_sources-log_source_management-log_sources-id-DELETE", TEXT,
                Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());

        String props = "/config/event_sources/custom_properties";
        list(props + "/regex_properties", "26.0--config-event_sources-custom_properties-regex_properties-GET");
        Set<String> propFields = Set.of("name", "description", "property_type", "use_for_rule_engine",
                "datetime_format", "locale");
        create(props + "/regex_properties", "26.0--config-event_sources-custom_properties-regex_properties-POST",
                propFields, Set.of("name", "property_type"));
        one(props + "/regex_properties/{regex_property_id}",
                "26.0--config-event_sources-custom_properties-regex_properties-regex_property_id-GET");
        add("DELETE", props + "/regex_properties/{regex_property_id}",
                "26.0--config-event_sources-custom_properties-regex_properties-regex_property_id-DELETE", JSON,
                Set.of("fields"), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        one(props + "/regex_property_delete_tasks/{task_id}",
                "26.0--config-event_sources-custom_properties-regex_property_delete_tasks-task_id-GET");

        Set<String> exprFields = Set.of("regex_property_identifier", "enabled", "regex", "capture_group",
                "format_string", "payload", "log_source_type_id", "log_source_id", "qid", "low_level_category_id");
        list(props + "/property_expressions", "26.0--config-event_sources-custom_properties-property_expressions-GET");
        create(props + "/property_expressions",
                "26.0--config-event_sources-custom_properties-property_expressions-POST", exprFields,
                Set.of("regex_property_identifier", "regex", "log_source_type_id"));
        add("POST", props + "/property_expressions/{expression_id}",
                "26.0--config-event_sources-custom_properties-property_expressions-expression_id-POST", JSON,
                Set.of(), FIELDS_HEADER, Set.of(), Body.JSON_OBJECT, union(exprFields, Set.of("username")), Set.of());
        add("DELETE", props + "/property_expressions/{expression_id}",
                "26.0--config-event_sources-custom_properties-property_expressions-expression_id-DELETE", TEXT,
                Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());

        Set<String> jsonFields = Set.of("regex_property_identifier", "enabled", "expression", "payload",
                "log_source_type_id", "log_source_id", "qid", "low_level_category_id");
        list(props + "/property_json_expressions",
                "26.0--config-event_sources-custom_properties-property_json_expressions-GET");
        // The page gives regex_property_identifier no optionality; an expression of no property fills nothing.
        create(props + "/property_json_expressions",
                "26.0--config-event_sources-custom_properties-property_json_expressions-POST", jsonFields,
                Set.of("regex_property_identifier", "expression", "log_source_type_id"));
        add("POST", props + "/property_json_expressions/{expression_id}",
                "26.0--config-event_sources-custom_properties-property_json_expressions-expression_id-POST", JSON,
                Set.of(), FIELDS_HEADER, Set.of(), Body.JSON_OBJECT, union(jsonFields, Set.of("username")), Set.of());
        add("DELETE", props + "/property_json_expressions/{expression_id}",
                "26.0--config-event_sources-custom_properties-property_json_expressions-expression_id-DELETE", TEXT,
                Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());

        add("GET", "/data_classification/low_level_categories", "26.0--data_classification-low_level_categories-GET",
                JSON, Set.of("fields", "filter", "sort"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        list("/data_classification/qid_records", "26.0--data_classification-qid_records-GET");
        create("/data_classification/qid_records", "26.0--data_classification-qid_records-POST",
                Set.of("log_source_type_id", "name", "description", "severity", "low_level_category_id"),
                Set.of("log_source_type_id", "name", "low_level_category_id"));
        one("/data_classification/qid_records/{qid_record_id}", "26.0--data_classification-qid_records-qid_record_id-GET");
        add("POST", "/data_classification/qid_records/{qid_record_id}",
                "26.0--data_classification-qid_records-qid_record_id-POST", JSON, Set.of(), FIELDS_HEADER, Set.of(),
                Body.JSON_OBJECT, Set.of("name", "description", "severity", "low_level_category_id"), Set.of());
        list("/data_classification/dsm_event_mappings", "26.0--data_classification-dsm_event_mappings-GET");
        create("/data_classification/dsm_event_mappings", "26.0--data_classification-dsm_event_mappings-POST",
                Set.of("log_source_type_id", "log_source_event_id", "log_source_event_category", "qid_record_id"),
                Set.of("log_source_type_id", "log_source_event_id", "log_source_event_category", "qid_record_id"));

        list("/reference_data/sets", "26.0--reference_data-sets-GET");
        add("POST", "/reference_data/sets", "26.0--reference_data-sets-POST", JSON,
                Set.of("name", "element_type", "timeout_type", "time_to_live", "fields"), Set.of(),
                Set.of("name", "element_type"), Body.NONE, Set.of(), Set.of());
        add("GET", "/reference_data/sets/{name}", "26.0--reference_data-sets-name-GET", JSON,
                Set.of("namespace", "filter", "fields"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        add("POST", "/reference_data/sets/{name}", "26.0--reference_data-sets-name-POST", JSON,
                Set.of("namespace", "value", "source", "domain_id", "fields"), Set.of(), Set.of("value"), Body.NONE,
                Set.of(), Set.of());
        add("DELETE", "/reference_data/sets/{name}", "26.0--reference_data-sets-name-DELETE", JSON,
                Set.of("namespace", "purge_only", "fields"), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        add("DELETE", "/reference_data/sets/{name}/{value}", "26.0--reference_data-sets-name-value-DELETE", JSON,
                Set.of("namespace", "domain_id", "fields"), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        add("POST", "/reference_data/sets/bulk_load/{namespace}/{name}/{domain_id}",
                "26.0--reference_data-sets-bulk_load-namespace-name-domain_id-POST", JSON, Set.of(), FIELDS_HEADER,
                Set.of(), Body.JSON_ARRAY, Set.of(), Set.of());
        // Named by the DELETE /reference_data/sets/{name} page as where its task's status is read.
        one("/system/task_management/tasks/{status_id}", "26.0--reference_data-sets-name-DELETE");

        String ca = "/analytics/custom_actions";
        list(ca + "/interpreters", "26.0--analytics-custom_actions-interpreters-GET");
        list(ca + "/scripts", "26.0--analytics-custom_actions-scripts-GET");
        add("POST", ca + "/scripts", "26.0--analytics-custom_actions-scripts-POST", JSON, Set.of(),
                Set.of("fields", "file_name"), Set.of(), Body.OCTETS, Set.of(), Set.of());
        add("DELETE", ca + "/scripts/{script_id}", "26.0--analytics-custom_actions-scripts-script_id-DELETE", TEXT,
                Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        add("POST", ca + "/scripts/{script_id}", "26.0--analytics-custom_actions-scripts-script_id-POST", JSON,
                Set.of(), Set.of("fields", "file_name"), Set.of(), Body.OCTETS, Set.of(), Set.of());
        list(ca + "/actions", "26.0--analytics-custom_actions-actions-GET");
        Set<String> actionFields = Set.of("id", "name", "description", "interpreter", "script", "parameters");
        create(ca + "/actions", "26.0--analytics-custom_actions-actions-POST", actionFields,
                Set.of("name", "interpreter", "script", "parameters"));
        one(ca + "/actions/{action_id}", "26.0--analytics-custom_actions-actions-action_id-GET");
        add("POST", ca + "/actions/{action_id}", "26.0--analytics-custom_actions-actions-action_id-POST", JSON,
                Set.of(), FIELDS_HEADER, Set.of(), Body.JSON_OBJECT, actionFields,
                Set.of("id", "interpreter", "script", "parameters"));
        add("DELETE", ca + "/actions/{action_id}", "26.0--analytics-custom_actions-actions-action_id-DELETE", TEXT,
                Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());

        add("GET", "/ariel/databases/{database_name}", "26.0--ariel-databases-database_name-GET", JSON,
                Set.of("fields", "filter"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        add("GET", "/config/access/users", "26.0--config-access-users-GET", JSON,
                Set.of("current_user", "sort", "filter", "fields"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        one("/config/access/user_roles/{id}", "26.0--config-access-user_roles-id-GET");
        add("GET", "/config/access/user_roles", "26.0--config-access-user_roles-GET", JSON,
                Set.of("current_user_role", "contains", "filter", "fields"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        add("GET", "/config/access/security_profiles", "26.0--config-access-security_profiles-GET", JSON,
                Set.of("tenant_id", "current_security_profile", "filter", "fields"), RANGE, Set.of(), Body.NONE,
                Set.of(), Set.of());
        // authorized_services-POST: "Only the label, tenant_id, security_profile_id, user_role_id, and
        // expiration_date fields can be set ... All other fields are ignored."
        create("/config/access/authorized_services", "26.0--config-access-authorized_services-POST",
                Set.of("label", "tenant_id", "security_profile_id", "user_role_id", "expiration_date"),
                Set.of("label", "security_profile_id", "user_role_id"));
        add("GET", "/config/access/authorized_services", "26.0--config-access-authorized_services-GET", JSON,
                Set.of("current_authorized_service", "fields", "filter"), RANGE, Set.of(), Body.NONE, Set.of(), Set.of());
        one("/config/access/authorized_services/{id}", "26.0--config-access-authorized_services-id-GET");
        add("DELETE", "/config/access/authorized_services/{id}", "26.0--config-access-authorized_services-id-DELETE",
                TEXT, Set.of(), Set.of(), Set.of(), Body.NONE, Set.of(), Set.of());
        OffensePages.document();
    }

    private ConsoleContract() {
    }

    private static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> s = new java.util.HashSet<>(a);
        s.addAll(b);
        return Set.copyOf(s);
    }

    /** The endpoint a request is for, with its path variables; null when no page documents it. */
    static Map.Entry<Endpoint, Map<String, String>> find(String method, List<String> segments) {
        for (Endpoint e : ENDPOINTS) {
            Map<String, String> vars = e.match(method, segments);
            if (vars != null) {
                return Map.entry(e, vars);
            }
        }
        return null;
    }
}
