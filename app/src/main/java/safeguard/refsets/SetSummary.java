package safeguard.refsets;

/** An editable reference set as the list shows it: no elements, so listing never calls QRadar. */
public record SetSummary(String name, String description, String elementType, String where) {
}
