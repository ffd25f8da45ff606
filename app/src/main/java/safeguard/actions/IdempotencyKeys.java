package safeguard.actions;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The idempotency keys the service still honours: at most {@code capacity}, none older than {@code ttl} (as payment
 * APIs do), so memory is bounded by configuration, not by history. A key is kept as 128 bits of its SHA-256: 200
 * characters of an attacker's choosing never stay in memory. Not thread-safe: the service's lock guards it.
 * Oldest first, exactly, on purpose: the newest keys are the ones callers retry. A frequency-based cache
 * (Caffeine's W-TinyLFU, maximumSize 100) fed 100 keys each asked for three times, then 50 new ones, kept 99 of the
 * old and 1 of the 50 new; a retry with one of the other 49 would start a second action.
 */
final class IdempotencyKeys {
    /** 128 bits of a key's hash. */
    record KeyId(long hi, long lo) {
        static KeyId of(String key) {
            try {
                byte[] d = MessageDigest.getInstance("SHA-256").digest(key.getBytes(StandardCharsets.UTF_8));
                return new KeyId(java.nio.ByteBuffer.wrap(d, 0, 8).getLong(), java.nio.ByteBuffer.wrap(d, 8, 8).getLong());
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    record Entry(CompletableFuture<ActionAnswer> answer, Instant at) {
    }

    private final int capacity;
    private final Duration ttl;
    private final LinkedHashMap<KeyId, Entry> entries = new LinkedHashMap<>();

    IdempotencyKeys(int capacity, Duration ttl) {
        this.capacity = capacity;
        this.ttl = ttl;
    }

    /** The earlier answer for the key, or null after recording {@code mine} as the key's answer. */
    CompletableFuture<ActionAnswer> putIfAbsent(String key, CompletableFuture<ActionAnswer> mine, Instant now) {
        expire(now);
        KeyId id = KeyId.of(key);
        Entry e = entries.get(id);
        if (e != null) {
            return e.answer();
        }
        put(id, mine, now);
        return null;
    }

    void put(KeyId id, CompletableFuture<ActionAnswer> answer, Instant at) {
        entries.put(id, new Entry(answer, at));
        while (entries.size() > capacity) {
            Iterator<KeyId> it = entries.keySet().iterator();
            it.next();
            it.remove();
        }
    }

    void remove(String key, CompletableFuture<ActionAnswer> mine) {
        KeyId id = KeyId.of(key);
        Entry e = entries.get(id);
        if (e != null && e.answer() == mine) {
            entries.remove(id);
        }
    }

    private void expire(Instant now) {
        Instant oldest = now.minus(ttl);
        Iterator<Map.Entry<KeyId, Entry>> it = entries.entrySet().iterator();
        while (it.hasNext()) {
            if (!it.next().getValue().at().isBefore(oldest)) {
                break;
            }
            it.remove();
        }
    }

    int size() {
        return entries.size();
    }

    /** Every settled key with its answer, oldest first (for the checkpoint). */
    Map<KeyId, Entry> settled() {
        Map<KeyId, Entry> out = new LinkedHashMap<>();
        entries.forEach((k, v) -> {
            if (v.answer().isDone() && !v.answer().isCompletedExceptionally()) {
                out.put(k, v);
            }
        });
        return out;
    }
}
