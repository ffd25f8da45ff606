package safeguard.actions;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import safeguard.Json;
import safeguard.settings.Settings;

/**
 * Admission: validates a request, coalesces it into an open window or opens one, journals its opening record
 * durably and answers; an admin's recovery is admitted here too. Storage work runs later, in the target's queue.
 */
final class Intake {
    private static final Logger LOG = LoggerFactory.getLogger(ActionService.class);

    private final ActionMemory m;
    private final TargetQueues queues;
    private final ActionPlans plans;
    private final Supplier<Settings> settings;

    Intake(ActionMemory m, TargetQueues queues, ActionPlans plans, Supplier<Settings> settings) {
        this.m = m;
        this.queues = queues;
        this.plans = plans;
        this.settings = settings;
    }

    /**
     * Decides, journals durably, answers. Storage work runs later, in the target's queue. A new action's window
     * and idempotency answer count only once its record is durable: a request that finds a window whose holder is
     * still being journaled waits for it, and decides again if that write failed (the window is gone then).
     */
    ActionAnswer submit(ActionRequest req) {
        ActionPlans.Validated v = plans.validate(req, Boolean.TRUE.equals(settings.get().dryRunAll()));
        CompletableFuture<ActionAnswer> mine = new CompletableFuture<>();
        CompletableFuture<ActionAnswer> earlier = null;
        if (v.idempotencyKey() != null) {
            synchronized (m.lock) {
                earlier = m.answers.putIfAbsent(v.idempotencyKey(), mine, m.clock.instant());
            }
        }
        if (earlier != null) {
            return sameRequest(await(earlier), v);
        }
        ActionState state = null;
        ActionState covering = null;
        String refusal = v.refusal();
        String folded = null;
        String windowKey = v.target().name() + "/" + v.scope();
        CompletableFuture<Void> journaled = new CompletableFuture<>();
        try {
            while (state == null) {
                CompletableFuture<Void> holderPending = null;
                synchronized (m.lock) {
                    Instant now = m.clock.instant();
                    Settings policy = settings.get();
                    boolean dry = v.target().dryRun() || Boolean.TRUE.equals(policy.dryRunAll());
                    ActionState holder = m.windows.get(windowKey);
                    holderPending = refusal == null && holder != null ? m.opening.get(holder.id) : null;
                    if (holderPending == null) {
                        Admission.Decision d = refusal != null ? Admission.Decision.NEW : m.admission.decide(windowKey, holder,
                                now, ActionPlans.window(v.target(), policy), dry,
                                policy.attemptsPerHour() == null ? Settings.DEFAULTS.attemptsPerHour() : policy.attemptsPerHour());
                        if (d.into() != null) {
                            covering = d.into();
                            folded = d.why();
                            covering.coalesced++;
                            state = new ActionState(m.ids.next(now), req.type(), v.target().name(), v.scope(), v.context(), now, null,
                                    dry, covering.id, "coalesced");
                            state.holder = covering;
                            m.coveredBy.put(state.id, covering);
                        } else {
                            if (refusal == null && !dry && queues.queue(v.target().name()).getQueue().remainingCapacity() == 0) {
                                refusal = "target " + v.target().name() + " has " + queues.capacity() + " actions waiting; try again later";
                            }
                            String id = m.ids.next(now);
                            state = new ActionState(id, req.type(), v.target().name(), v.scope(), v.context(), now,
                                    refusal == null ? ActionPlans.plan(v, id, now) : null, dry, null,
                                    refusal != null && !v.unreachable() ? "refused" : dry ? "dry-run" : "accepted");
                            if (refusal == null) {
                                m.windows.put(windowKey, state);
                                if (!dry) {
                                    m.admission.started(windowKey, now);
                                }
                            }
                        }
                        m.opening.put(state.id, journaled);
                        m.actions.put(state.id, state);
                        m.evict();
                    }
                }
                if (holderPending != null) {
                    // The window's first action is still being journaled: its outcome decides what this one joins.
                    holderPending.handle((ok, failed) -> null).join();
                }
            }
            ActionAnswer answer;
            try {
                answer = record(state, v, covering, folded, refusal);
            } finally {
                synchronized (m.lock) {
                    m.opening.remove(state.id);
                }
            }
            journaled.complete(null);
            mine.complete(answer);
            return answer;
        } catch (RuntimeException e) {
            boolean written;
            synchronized (m.lock) {
                written = state != null && !state.timeline.isEmpty();
            }
            if (written) {
                // Its opening record is durable: the action exists (a later step failed; a restart resumes it).
                LOG.warn("action {} was journaled but a later step failed: {}", state.id, e.toString());
                ActionAnswer answer = new ActionAnswer(state.id, covering != null ? "coalesced" : refusal != null
                        ? "refused" : state.dryRun ? "dry-run" : "accepted", covering == null ? null : covering.id,
                        covering != null ? folded : refusal);
                journaled.complete(null);
                mine.complete(answer);
                return answer;
            }
            synchronized (m.lock) {
                if (v.idempotencyKey() != null) {
                    m.answers.remove(v.idempotencyKey(), mine);
                }
                if (state != null) {
                    // Never journaled: no trace of it may stay, or a later firing would join an action that is not.
                    m.actions.remove(state.id);
                    m.coveredBy.remove(state.id);
                    m.windows.remove(windowKey, state);
                    if (covering != null) {
                        covering.coalesced--;
                    }
                }
            }
            journaled.completeExceptionally(e);
            mine.completeExceptionally(e);
            throw e;
        }
    }

    private ActionAnswer record(ActionState s, ActionPlans.Validated v, ActionState covering, String folded,
                                String refusal) {
        ObjectNode data = base(s, v.idempotencyKey());
        if (covering != null) {
            data.put("into", covering.id).put("reason", folded);
            data.set("summary", summaryWithoutContext(s));
            m.append(s, "coalesced", data);
            return new ActionAnswer(s.id, "coalesced", covering.id, folded);
        }
        if (v.unreachable()) {
            // The storage system could not be read to place the path: taken, and not protected, saying why.
            data.set("plan", Json.mapper().createObjectNode().put("placement", refusal));
            data.put("dryRun", s.dryRun);
            m.append(s, "accepted", data);
            m.end(s, "not-protected", Json.mapper().createObjectNode().put("reason", refusal), Map.of(), refusal);
            return new ActionAnswer(s.id, "accepted", null, null);
        }
        if (refusal != null) {
            data.put("reason", refusal);
            if (v.placement() != null) {
                data.put("placement", v.placement());
            }
            synchronized (m.lock) {
                s.finishedAt = s.acceptedAt;
                s.error = refusal;
            }
            data.set("summary", summaryWithoutContext(s));
            m.append(s, "refused", data);
            return new ActionAnswer(s.id, "refused", null, refusal);
        }
        data.set("plan", Json.mapper().valueToTree(s.plan));
        data.put("dryRun", s.dryRun);
        m.append(s, "accepted", data);
        if (s.dryRun) {
            ObjectNode would = Json.mapper().createObjectNode();
            would.set("wouldCall", Json.mapper().valueToTree(ActionPlans.wouldCall(v.target(), s)));
            m.end(s, "dry-run", would, Map.of(), null);
            return new ActionAnswer(s.id, "dry-run", null, null);
        }
        try {
            queues.enqueue(s, false);
        } catch (RejectedExecutionException full) {
            String why = "target " + s.target + " has " + queues.capacity() + " actions waiting; try again later";
            m.end(s, "refused", Json.mapper().createObjectNode().put("reason", why), Map.of(), why);
            return new ActionAnswer(s.id, "refused", null, why);
        }
        return new ActionAnswer(s.id, "accepted", null, null);
    }

    /**
     * The earlier answer of a reused idempotency key, when it was given for the same type, target and scope: a key
     * is bound to what was asked, so it cannot stand for (and pre-empt) another request.
     */
    private ActionAnswer sameRequest(ActionAnswer earlier, ActionPlans.Validated v) {
        ActionState first = m.stateOf(earlier.id());
        String type = first.type;
        if (!type.equals(v.type()) || !first.target.equals(v.target().name()) || !first.scope.equals(v.scope())) {
            throw new safeguard.ConflictException("idempotencyKey", "idempotencyKey was already used for a " + type
                    + " on target " + first.target + " (scope " + first.scope + "), not for this " + v.type() + " on "
                    + v.target().name() + " (scope " + v.scope() + "); send a new key for a different request");
        }
        return earlier;
    }

    /** A summary for a record whose data already holds the context (read back with it: see ActionHistory). */
    private JsonNode summaryWithoutContext(ActionState s) {
        ObjectNode n;
        synchronized (m.lock) {
            n = Json.mapper().valueToTree(s.summary());
        }
        n.remove("context");
        return n;
    }

    private static ActionAnswer await(CompletableFuture<ActionAnswer> f) {
        try {
            return f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r ? r : new IllegalStateException(e.getCause());
        }
    }

    private static ObjectNode base(ActionState s, String key) {
        ObjectNode data = Json.mapper().createObjectNode();
        data.put("type", s.type).put("target", s.target).put("scope", s.scope);
        data.set("context", Json.mapper().valueToTree(s.context));
        if (key != null) {
            data.put("idempotencyKey", key);
        }
        return data;
    }

    /**
     * Starts a restore an admin asked for ({@code plan} fixed and checked by the recover package): journaled and
     * resumed like any action, never coalesced, and run in the target's recovery queue, so a long copy never
     * delays a protective snapshot. The incident's own timeline gets a record naming the recovery.
     */
    ActionAnswer startRecovery(String type, String target, Map<String, String> plan, String recoveryOf) {
        if (!ActionService.RECOVERY_TYPES.contains(type)) {
            throw new IllegalArgumentException("not a recovery type: " + type);
        }
        Instant now = m.clock.instant();
        ActionState s = new ActionState(m.ids.next(now), type, target, "recovery", null, now, plan, false, null,
                "accepted");
        synchronized (m.lock) {
            m.actions.put(s.id, s);
            m.evict();
        }
        ObjectNode data = base(s, null);
        data.set("plan", Json.mapper().valueToTree(s.plan));
        data.put("dryRun", false).put("recoveryOf", recoveryOf);
        try {
            m.append(s, "accepted", data);
        } catch (RuntimeException e) {
            synchronized (m.lock) {
                m.actions.remove(s.id);
            }
            throw e;
        }
        m.note(recoveryOf, "recovery", Json.mapper().createObjectNode().put("recovery", s.id).put("type", type)
                .put("target", target));
        try {
            queues.enqueue(s, false);
        } catch (RejectedExecutionException full) {
            String why = "target " + target + " has " + queues.capacity() + " recoveries waiting; try again later";
            m.end(s, "refused", Json.mapper().createObjectNode().put("reason", why), Map.of(), why);
            return new ActionAnswer(s.id, "refused", null, why);
        }
        return new ActionAnswer(s.id, "accepted", null, null);
    }
}
