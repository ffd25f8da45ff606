package safeguard.qradar;

import java.util.List;
import java.util.Optional;

/**
 * QRadar's reference sets, through the endpoints the negotiated API version offers ({@link ApiFeature}): the
 * collections API from 16.0 on, the legacy {@code /reference_data/sets} before. Nothing here reads a whole set:
 * entries come in slices chosen with {@code Range}, adding does not read the set, and a value is removed by
 * looking up its entry alone.
 */
public interface ReferenceData {
    /** The largest slice read at once; larger asks are cut to it. */
    int MAX_SLICE = 1_000;

    /** A set's metadata; {@code id} is the collection id (collections API) or the name (legacy). */
    record SetInfo(String id, String name, String entryType, long count) {
    }

    /** One entry; times are QRadar's epoch milliseconds (null when absent). */
    record Entry(String value, String source, Long firstSeen, Long lastSeen) {
    }

    /** How to create a set: expiry as reference-sets/ describes it (no expiry when {@code timeToLive} is null). */
    record NewSet(String name, String entryType, String description, String timeoutType, String timeToLive) {
    }

    /** The set called {@code name}, wherever and however it was created; empty when there is none. */
    Optional<SetInfo> find(String name);

    /** Creates the set in the SHARED namespace; a {@link QradarException} with 409 when the name is taken. */
    SetInfo create(NewSet set);

    /**
     * Adds {@code values} (already in the spelling QRadar stores) without reading the set; answers how many were
     * new to it.
     */
    int add(SetInfo set, List<String> values, String source);

    /** Entries {@code from} to {@code to} (inclusive) in the order of their values (type-aware for NUM). */
    List<Entry> entries(SetInfo set, int from, int to);

    /** Removes {@code value}; false when the set did not hold it. */
    boolean remove(SetInfo set, String value);

    /** Deletes the set (asynchronous in QRadar: returns when its task completed). */
    void delete(SetInfo set);

    /** The endpoints the console's negotiated version offers. */
    static ReferenceData of(QradarClient qradar) {
        return qradar.supports(ApiFeature.REFERENCE_DATA_COLLECTIONS) ? new ReferenceCollections(qradar)
                : new LegacyReferenceSets(qradar);
    }
}
