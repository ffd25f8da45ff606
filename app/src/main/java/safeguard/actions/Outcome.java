package safeguard.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * How an action ended, as the journal records it: {@code status} is the outcome event's name, {@code result}
 * what the storage system holds (snapshot name, backup id, job status…), {@code error} why it is not as asked.
 */
record Outcome(String status, Map<String, String> result, String error) {
    Outcome {
        result = result == null ? Map.of() : Map.copyOf(result);
    }

    ObjectNode data() {
        ObjectNode d = safeguard.Json.mapper().createObjectNode();
        d.set("result", safeguard.Json.mapper().valueToTree(result));
        if (error != null) {
            d.put("error", error);
        }
        return d;
    }
}
