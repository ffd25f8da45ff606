package safeguard.http;

/** An upstream call that failed for good: no answer after retries, or an answer that is an error. */
public final class UpstreamException extends RuntimeException {
    private final int status;
    private final String body;
    private final Fault fault;

    public UpstreamException(int status, String message, String body) {
        this(status, message, body, null);
    }

    public UpstreamException(int status, String message, String body, Fault fault) {
        super(message, null, false, false);
        this.status = status;
        this.body = body;
        this.fault = fault;
    }

    public static UpstreamException of(Fault f, int status) {
        return new UpstreamException(status, f.message(), null, f);
    }

    /** 0 when no HTTP answer came back (connection refused, timeout, TLS). */
    public int status() {
        return status;
    }

    public String body() {
        return body;
    }

    /** How it was classified, when it was a transport or credentials fault; null for other errors. */
    public Fault fault() {
        return fault;
    }

    /** False only when the storage system certainly never saw the request. */
    public boolean mayHaveArrived() {
        return fault == null || fault.mayHaveArrived();
    }
}
