package safeguard.refsets;

import java.util.List;

/** Where reference sets live: QRadar's API inside QRadar, files in the store outside. Nothing holds a whole set. */
interface SetBackend {
    /** Some of a set's elements, and how many it holds in all. */
    record Slice(List<Element> elements, long total) {
    }

    /** What an add did: elements new to the set, and its size after. */
    record Added(int added, long total) {
    }

    String where();

    /** Elements {@code offset} to {@code offset + limit - 1} in the backend's order. */
    Slice slice(String name, String elementType, long offset, int limit);

    /** Adds values in as few writes as the backend allows, without reading the set into memory. */
    Added add(String name, String elementType, List<String> values, String source);

    /** False when the value was not in the set. */
    boolean remove(String name, String value);
}
