package safeguard.web;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.Scheduler;
import safeguard.Json;

/**
 * Bounds how many requests run at once, per client and in all, so that slow or greedy clients cannot take every
 * worker: requests over a bound wait without a thread (in order of arrival) and are refused with a JSON 429 (this
 * client) or 503 (everyone) when the wait is full or too long. The liveness routes QRadar polls skip all of it:
 * the workers the total leaves free are theirs.
 */
final class ClientLimits extends Handler.Wrapper {
    /** GET only: QRadar's liveness check and the health page do no I/O and must answer whatever else is going on. */
    static final Set<String> EXEMPT = Set.of("/debug", "/api/health");

    private final int perClient;
    private final int total;
    private final int perClientWaiting;
    private final int totalWaiting;
    private final Duration maxWait;
    private final ClientAddress clients;

    private final Map<String, Client> byClient = new HashMap<>();
    private final ArrayDeque<Waiting> waiting = new ArrayDeque<>();
    private int running;

    private static final class Client {
        int running;
        int waiting;
    }

    private static final class Waiting {
        final Request request;
        final Response response;
        final Callback callback;
        final String client;
        volatile Scheduler.Task expiry;

        Waiting(Request request, Response response, Callback callback, String client) {
            this.request = request;
            this.response = response;
            this.callback = callback;
            this.client = client;
        }
    }

    ClientLimits(int perClient, int total, int perClientWaiting, int totalWaiting, Duration maxWait, ClientAddress clients) {
        this.perClient = perClient;
        this.total = total;
        this.perClientWaiting = perClientWaiting;
        this.totalWaiting = totalWaiting;
        this.maxWait = maxWait;
        this.clients = clients;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        if (exempt(request)) {
            return super.handle(request, response, callback);
        }
        String key = clients.of(Request.getRemoteAddr(request), request.getHeaders().get(ClientAddress.FORWARDED_FOR));
        Waiting w;
        synchronized (this) {
            Client c = byClient.computeIfAbsent(key, k -> new Client());
            if (c.running < perClient && running < total) {
                c.running++;
                running++;
                w = null;
            } else if (c.waiting < perClientWaiting && waiting.size() < totalWaiting) {
                w = new Waiting(request, response, callback, key);
                c.waiting++;
                waiting.addLast(w);
            } else {
                boolean self = c.waiting >= perClientWaiting;
                forgetIfIdle(key, c);
                refuse(response, callback, self);
                return true;
            }
        }
        if (w == null) {
            return run(request, response, callback, key);
        }
        w.expiry = request.getComponents().getScheduler().schedule(() -> expire(w), maxWait.toMillis(),
                TimeUnit.MILLISECONDS);
        // A waiting request reads nothing, so its connection goes idle after ServerLimits.IDLE (10 s), before the
        // documented wait (30 s) is over: while it waits that is not a failure (its own expiry ends the wait); once
        // it runs, the idle timeout applies again as to any request.
        request.addIdleTimeoutListener(timeout -> !isWaiting(w));
        // The client gives up (or the connection fails): it must leave the queue instead of being run later on a
        // dead connection; should an idle timeout get through anyway, the answer is still the documented refusal.
        request.addFailureListener(failure -> {
            Boolean self = dequeue(w);
            if (self != null) {
                if (failure instanceof java.util.concurrent.TimeoutException) {
                    refuse(response, callback, self);
                } else {
                    callback.failed(failure);
                }
            }
        });
        return true;
    }

    private static boolean exempt(Request request) {
        String method = request.getMethod();
        return (HttpMethod.GET.is(method) || HttpMethod.HEAD.is(method)) && EXEMPT.contains(Request.getPathInContext(request));
    }

    private boolean run(Request request, Response response, Callback callback, String key) throws Exception {
        AtomicBoolean released = new AtomicBoolean();
        Runnable release = () -> {
            if (released.compareAndSet(false, true)) {
                release(key);
            }
        };
        boolean handled;
        try {
            handled = super.handle(request, response, Callback.from(callback, release));
        } catch (Throwable x) {
            release.run();
            throw x;
        }
        if (!handled) {
            release.run();
        }
        return handled;
    }

    private void release(String key) {
        List<Waiting> admitted = new ArrayList<>();
        synchronized (this) {
            Client c = byClient.get(key);
            c.running--;
            running--;
            forgetIfIdle(key, c);
            for (Iterator<Waiting> it = waiting.iterator(); it.hasNext() && running < total; ) {
                Waiting w = it.next();
                Client wc = byClient.get(w.client);
                if (wc.running < perClient) {
                    it.remove();
                    wc.waiting--;
                    wc.running++;
                    running++;
                    admitted.add(w);
                }
            }
        }
        admitted.forEach(this::resume);
    }

    private void resume(Waiting w) {
        Scheduler.Task expiry = w.expiry;
        if (expiry != null) {
            expiry.cancel();
        }
        w.request.getComponents().getThreadPool().execute(() -> {
            try {
                if (!run(w.request, w.response, w.callback, w.client)) {
                    Response.writeError(w.request, w.response, w.callback, 404);
                }
            } catch (Throwable x) {
                Response.writeError(w.request, w.response, w.callback, x);
            }
        });
    }

    private void expire(Waiting w) {
        Boolean self = dequeue(w);
        if (self != null) {
            refuse(w.response, w.callback, self);
        }
    }

    private synchronized boolean isWaiting(Waiting w) {
        return waiting.contains(w);
    }

    /** Takes {@code w} out of the queue: null if it was not there (run or dropped meanwhile), else whether its own
     * client's bound is what kept it waiting. */
    private synchronized Boolean dequeue(Waiting w) {
        if (!waiting.remove(w)) {
            return null;
        }
        Client c = byClient.get(w.client);
        c.waiting--;
        boolean self = c.running >= perClient;
        forgetIfIdle(w.client, c);
        return self;
    }

    private void forgetIfIdle(String key, Client c) {
        if (c.running == 0 && c.waiting == 0) {
            byClient.remove(key);
        }
    }

    /** 429 when this client has too much going on, 503 when everyone together has. */
    private static void refuse(Response response, Callback callback, boolean thisClient) {
        int status = thisClient ? 429 : 503;
        String message = thisClient ? "too many requests from this client at once; retry shortly"
                : "the app is busy; retry shortly";
        response.setStatus(status);
        response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "5");
        response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
        byte[] body;
        try {
            body = Json.mapper().writeValueAsBytes(new ApiError(status, message, null));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            body = ("{\"status\":" + status + "}").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        response.write(true, ByteBuffer.wrap(body), callback);
    }
}
