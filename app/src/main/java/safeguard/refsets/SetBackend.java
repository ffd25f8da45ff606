package safeguard.refsets;

import java.util.List;

/** Where reference sets live: QRadar's API inside QRadar, a file in the store outside. */
interface SetBackend {
    String where();

    List<Element> elements(String name, String elementType);

    /** Adds all values in one write; values already in the set are not passed. */
    void add(String name, String elementType, List<String> values, String source);

    /** False when the value was not in the set. */
    boolean remove(String name, String value);
}
