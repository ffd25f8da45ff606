package safeguard.refsets;

/** What an add or an import did: values new to the set, values it held already, and the set's size after. */
public record ImportResult(String name, int added, int alreadyPresent, long count) {
}
