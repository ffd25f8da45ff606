package safeguard.refsets;

import java.util.List;

/**
 * One page of a reference set: {@code count} is the set's size, {@code offset} where this page starts,
 * {@code read} how many stored entries it covers (a name stored in several spellings is shown once), {@code next}
 * the cursor of the next page (null after the last); {@code where} is "qradar" or "local".
 */
public record SetContents(String name, String description, String elementType, String where, long count,
                          long offset, int read, List<Element> elements, String next) {
}
