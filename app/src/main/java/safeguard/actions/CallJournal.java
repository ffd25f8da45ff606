package safeguard.actions;

import com.fasterxml.jackson.databind.node.ObjectNode;
import safeguard.Json;
import safeguard.http.CallObserver;
import safeguard.http.CallRecord;

/**
 * Write-ahead journaling of an action's upstream calls: a {@code request} record is durable before the request
 * is sent, an {@code answer} record when its answer (or failure) is known; both are on the live timeline at once.
 * Call ids are unique within the action: the run's tag (1 for the first run, "r" and the time since acceptance
 * for a resumed one) and the call's number in that run.
 */
final class CallJournal implements CallObserver {
    /** The journal refused a record: nothing more may be sent, and no outcome can be recorded either. */
    static final class Unrecorded extends IllegalStateException {
        Unrecorded(RuntimeException cause) {
            super("the action's journal refused a record: " + cause.getMessage(), cause);
        }
    }

    private final ActionLog log;
    private final String run;
    private volatile boolean asked;
    /** The copies that exist before the create, journaled in the creating request's record (one fsync, not two). */
    private volatile com.fasterxml.jackson.databind.JsonNode existing;

    CallJournal(ActionLog log, String run) {
        this.log = log;
        this.run = run;
    }

    /**
     * What identifies the copies that exist now ({@code ids}): written with the next creating request, in its record,
     * so a resumed run that finds the request also finds them (and no record of its own waits for a disk flush).
     */
    void existing(java.util.Set<String> ids) {
        existing = Json.mapper().valueToTree(new java.util.TreeSet<>(ids));
    }

    /** Whether a request that creates something was sent (so something may exist now). */
    boolean asked() {
        return asked;
    }

    @Override
    public void sending(Call call) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("call", run + "." + call.id()).put("operation", call.operation()).put("request", call.request());
        if (call.creates() != null) {
            d.put("creates", call.creates());
            if (existing != null) {
                d.set("existing", existing);
                existing = null;
            }
        }
        record("request", d);
        if (call.creates() != null) {
            asked = true;
        }
    }

    @Override
    public void answered(Call call, CallRecord answer) {
        ObjectNode d = Json.mapper().createObjectNode();
        d.put("call", run + "." + call.id()).put("operation", call.operation()).put("request", call.request())
                .put("status", answer.status()).put("millis", answer.millis()).put("outcome", answer.outcome());
        if (answer.insecure()) {
            d.put("insecure", true);
        }
        record("answer", d);
    }

    private void record(String event, ObjectNode data) {
        try {
            log.record(event, data);
        } catch (RuntimeException e) {
            throw new Unrecorded(e);
        }
    }
}
