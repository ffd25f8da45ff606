package safeguard;

/** The request collides with what exists (a name in use); mapped to HTTP 409 with the field named. */
public final class ConflictException extends RuntimeException {
    private final String field;

    public ConflictException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
