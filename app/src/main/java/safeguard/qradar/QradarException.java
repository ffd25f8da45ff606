package safeguard.qradar;

/** A QRadar API call that failed for good (after retries): HTTP status (0 = unreachable), QRadar's code and text. */
public final class QradarException extends RuntimeException {
    private final int status;
    private final int code;

    public QradarException(int status, int code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    public int status() {
        return status;
    }

    public int code() {
        return code;
    }

    public boolean isConflict() {
        return status == 409;
    }

    public boolean isNotFound() {
        return status == 404;
    }
}
