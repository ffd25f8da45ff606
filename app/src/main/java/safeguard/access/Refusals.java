package safeguard.access;

import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import safeguard.Json;

/**
 * Refused authentications, counted instead of journaled one fsync each. Each client (see ClientAddress) has its own
 * budget per minute ({@link #waitSeconds}; the caller answers 429 past it). The journal gets one record per period
 * for everyone together, not one per client: the first refusal after a quiet minute is written at once, and
 * whatever follows within the minute, from any number of addresses, goes into one summary written a minute after
 * the previous record (by the next refusal or {@link #flushDue}), with the count per reason and the clients with
 * the most refusals. So a flood with a new spoofed address per request still writes at most one record a minute.
 */
public final class Refusals {
    public static final Duration MINUTE = Duration.ofMinutes(1);
    /** Wrong admin tokens at sign-in: a person typing does not need more. */
    public static final int SIGN_IN_BUDGET = 10;
    /** Wrong or unknown tokens, sessions and SECs presented to the API. */
    public static final int TOKEN_BUDGET = 20;
    /** Past this many clients with a budget the oldest is forgotten, and a summary names at most as many: bounded. */
    static final int MAX_CLIENTS = 1_000;
    /** The clients a summary names, those with the most refusals first. */
    static final int NAMED_CLIENTS = 20;

    public enum Kind { SIGN_IN, TOKEN }

    private static final class Client {
        Instant windowStart;
        final Map<Kind, Integer> inWindow = new EnumMap<>(Kind.class);
    }

    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Refusals.class);

    private final Clock clock;
    private final Consumer<ObjectNode> sink;
    private final Map<String, Client> clients = new HashMap<>();
    /** What the next summary holds: counts per reason and per client (bounded; the rest counted as others). */
    private final Map<String, Integer> pendingReasons = new TreeMap<>();
    private final Map<String, Integer> pendingClients = new HashMap<>();
    private int pendingOthers;
    private int pendingTotal;
    private Instant pendingSince;
    private Instant lastWritten;

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
                forgetQuiet(now);
                if (clients.size() >= MAX_CLIENTS) {
                    evictOldest();
                }
            }
            Client c = clients.computeIfAbsent(client, k -> new Client());
            if (c.windowStart == null || !now.isBefore(c.windowStart.plus(MINUTE))) {
                c.windowStart = now;
                c.inWindow.clear();
            }
            c.inWindow.merge(kind, 1, Integer::sum);
            if (pendingTotal == 0) {
                pendingSince = now;
            }
            pendingReasons.merge(reason, 1, Integer::sum);
            if (pendingClients.containsKey(client) || pendingClients.size() < MAX_CLIENTS) {
                pendingClients.merge(client, 1, Integer::sum);
            } else {
                pendingOthers++;
            }
            pendingTotal++;
            if (lastWritten == null || !now.isBefore(lastWritten.plus(MINUTE))) {
                out.add(take(now));
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

    /** Writes the summary when its minute is over and forgets quiet clients; called every few seconds. */
    public void flushDue() {
        List<ObjectNode> out = new ArrayList<>();
        synchronized (this) {
            Instant now = clock.instant();
            if (pendingTotal > 0 && (lastWritten == null || !now.isBefore(lastWritten.plus(MINUTE)))) {
                out.add(take(now));
            }
            forgetQuiet(now);
        }
        write(out);
    }

    /** Writes every pending count (at shutdown). */
    public void flushAll() {
        List<ObjectNode> out = new ArrayList<>();
        synchronized (this) {
            if (pendingTotal > 0) {
                out.add(take(clock.instant()));
            }
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

    private void forgetQuiet(Instant now) {
        clients.values().removeIf(c -> !now.isBefore(c.windowStart.plus(MINUTE)));
    }

    synchronized int tracked() {
        return clients.size();
    }

    private void evictOldest() {
        clients.entrySet().stream()
                .min(java.util.Comparator.comparing(e -> e.getValue().windowStart))
                .ifPresent(oldest -> clients.remove(oldest.getKey()));
    }

    private ObjectNode take(Instant now) {
        ObjectNode s = Json.mapper().createObjectNode();
        String most = pendingReasons.entrySet().stream().max(Map.Entry.comparingByValue()).map(Map.Entry::getKey).orElse("");
        List<Map.Entry<String, Integer>> top = pendingClients.entrySet().stream()
                .sorted(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .toList();
        s.put("remote", top.isEmpty() ? "unknown" : top.get(0).getKey()).put("reason", most).put("count", pendingTotal)
                .put("since", pendingSince.toString()).put("until", now.toString())
                .put("distinctClients", pendingClients.size());
        ObjectNode reasons = s.putObject("reasons");
        pendingReasons.forEach(reasons::put);
        ObjectNode named = s.putObject("clients");
        top.stream().limit(NAMED_CLIENTS).forEach(e -> named.put(e.getKey(), e.getValue()));
        int unnamed = pendingOthers + top.stream().skip(NAMED_CLIENTS).mapToInt(Map.Entry::getValue).sum();
        if (unnamed > 0) {
            s.put("otherClients", unnamed);
        }
        pendingReasons.clear();
        pendingClients.clear();
        pendingOthers = 0;
        pendingTotal = 0;
        lastWritten = now;
        return s;
    }
}
