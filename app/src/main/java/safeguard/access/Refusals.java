package safeguard.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import safeguard.Json;

/**
 * Refused authentications, counted per client and reason instead of journaled one fsync each: a client's first
 * refusal is written at once, and whatever follows within the minute goes into one summary with counts, written a
 * minute after the previous one (by the next refusal or {@link #flushDue}). So a flood of wrong tokens writes at
 * most one record per client per minute. The same counts tell when a client has used up its budget for the
 * minute ({@link #waitSeconds}); the caller answers 429.
 */
public final class Refusals {
    public static final Duration MINUTE = Duration.ofMinutes(1);
    /** Wrong admin tokens at sign-in: a person typing does not need more. */
    public static final int SIGN_IN_BUDGET = 10;
    /** Wrong or unknown tokens, sessions and SECs presented to the API. */
    public static final int TOKEN_BUDGET = 20;
    /** Past this many clients with a count the oldest is written out and forgotten: memory stays bounded. */
    static final int MAX_CLIENTS = 1_000;

    public enum Kind { SIGN_IN, TOKEN }

    private static final class Client {
        Instant lastWritten;
        Instant pendingSince;
        final Map<String, Integer> pending = new TreeMap<>();
        int pendingTotal;
        Instant windowStart;
        final Map<Kind, Integer> inWindow = new EnumMap<>(Kind.class);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Refusals.class);

    private final Clock clock;
    private final Consumer<ObjectNode> sink;
    private final Map<String, Client> clients = new HashMap<>();

    /** {@code sink} writes one summary (the journal); it is never called while a lock is held. */
    public Refusals(Clock clock, Consumer<ObjectNode> sink) {
        this.clock = clock;
        this.sink = sink;
    }

    public void refused(String client, Kind kind, String reason) {
        List<ObjectNode> out = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            if (!clients.containsKey(client) && clients.size() >= MAX_CLIENTS) {
                collectDue(now, out);
                if (clients.size() >= MAX_CLIENTS) {
                    evictOldest(out);
                }
            }
            Client c = clients.computeIfAbsent(client, k -> new Client());
            if (c.windowStart == null || !now.isBefore(c.windowStart.plus(MINUTE))) {
                c.windowStart = now;
                c.inWindow.clear();
            }
            c.inWindow.merge(kind, 1, Integer::sum);
            if (c.pendingTotal == 0) {
                c.pendingSince = now;
            }
            c.pending.merge(reason, 1, Integer::sum);
            c.pendingTotal++;
            if (c.lastWritten == null || !now.isBefore(c.lastWritten.plus(MINUTE))) {
                out.add(take(client, c, now));
            }
        }
        write(out);
    }

    /** Seconds until the client may try again, when it had {@code budget} refusals of this kind this minute; else 0. */
    /**
     * A refused token from {@code client}: counted, and past the budget answered 429 instead of 401 (a right token
     * is never turned away: inside QRadar every rule's call comes through the same proxy).
     */
    public void tokenRefused(String client, String why, String what) {
        refused(client, Kind.TOKEN, why);
        long wait = waitSeconds(client, Kind.TOKEN, TOKEN_BUDGET);
        if (wait > 0) {
            throw new safeguard.TooManyRequestsException("too many refused " + what + " from this client; wait "
                    + wait + " s", wait);
        }
    }

    public synchronized long waitSeconds(String client, Kind kind, int budget) {
        Client c = clients.get(client);
        Instant now = clock.instant();
        if (c == null || c.windowStart == null || c.inWindow.getOrDefault(kind, 0) < budget) {
            return 0;
        }
        Duration left = Duration.between(now, c.windowStart.plus(MINUTE));
        return left.isNegative() || left.isZero() ? 0 : Math.max(1, (left.toMillis() + 999) / 1000);
    }

    /** Writes the summaries whose minute is over and forgets quiet clients; called every few seconds. */
    public void flushDue() {
        List<ObjectNode> out = new ArrayList<>();
        synchronized (this) {
            collectDue(clock.instant(), out);
        }
        write(out);
    }

    /** Writes every pending count (at shutdown). */
    public void flushAll() {
        List<ObjectNode> out = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            clients.forEach((k, c) -> {
                if (c.pendingTotal > 0) {
                    out.add(take(k, c, now));
                }
            });
            clients.clear();
        }
        write(out);
    }

    /** A journal that cannot take the summary (closing, disk full) must not turn a 401 into a 500. */
    private void write(List<ObjectNode> summaries) {
        for (ObjectNode s : summaries) {
            try {
                sink.accept(s);
            } catch (RuntimeException e) {
                LOG.warn("could not journal {} refused authentication(s) from {}: {}", s.path("count").asInt(),
                        s.path("remote").asText(), e.toString());
            }
        }
    }

    private void collectDue(Instant now, List<ObjectNode> out) {
        for (Iterator<Map.Entry<String, Client>> it = clients.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Client> e = it.next();
            Client c = e.getValue();
            boolean minuteOver = c.lastWritten == null || !now.isBefore(c.lastWritten.plus(MINUTE));
            if (c.pendingTotal > 0 && minuteOver) {
                out.add(take(e.getKey(), c, now));
            } else if (c.pendingTotal == 0 && minuteOver && !now.isBefore(c.windowStart.plus(MINUTE))) {
                it.remove();
            }
        }
    }

    synchronized int tracked() {
        return clients.size();
    }

    private void evictOldest(List<ObjectNode> out) {
        clients.entrySet().stream()
                .min(java.util.Comparator.comparing(e -> e.getValue().windowStart))
                .ifPresent(oldest -> {
                    if (oldest.getValue().pendingTotal > 0) {
                        out.add(take(oldest.getKey(), oldest.getValue(), clock.instant()));
                    }
                    clients.remove(oldest.getKey());
                });
    }

    private static ObjectNode take(String client, Client c, Instant now) {
        ObjectNode s = Json.mapper().createObjectNode();
        String most = c.pending.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        s.put("remote", client).put("reason", most).put("count", c.pendingTotal)
                .put("since", c.pendingSince.toString()).put("until", now.toString());
        ObjectNode reasons = s.putObject("reasons");
        c.pending.forEach(reasons::put);
        c.pending.clear();
        c.pendingTotal = 0;
        c.lastWritten = now;
        return s;
    }
}
