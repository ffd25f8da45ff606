package safeguard.refsets;

import java.util.List;

/** A reference set with its elements, sorted by value; {@code where} is "qradar" or "local". */
public record SetContents(String name, String description, String elementType, String where, int count,
                          List<Element> elements) {
}
