package safeguard;

/** A configuration value the app cannot run with; its message is the one line an operator sees. */
public final class ConfigException extends RuntimeException {
    public ConfigException(String message) {
        super(message, null, false, false);
    }
}
