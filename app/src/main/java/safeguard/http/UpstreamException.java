package safeguard.http;

/** An upstream call that failed for good: no answer after retries, or an answer that is an error. */
public final class UpstreamException extends RuntimeException {
    private final int status;
    private final String body;

    public UpstreamException(int status, String message, String body) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
    }

    /** 0 when no HTTP answer came back (connection refused, timeout, TLS). */
    public int status() {
        return status;
    }

    public String body() {
        return body;
    }
}
