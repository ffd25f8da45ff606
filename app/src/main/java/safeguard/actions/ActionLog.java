package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;

/** Where running an action writes its steps: each record is durable (and on the live timeline) when this returns. */
@FunctionalInterface
interface ActionLog {
    void record(String event, JsonNode data);
}
