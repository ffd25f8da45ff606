package safeguard.http;

/**
 * Why an upstream call did not give the answer asked for, classified once (see {@link Faults}): what to tell an
 * operator, whether trying again can help, and whether the request may have reached the storage system (which
 * decides whether an action that asked for a copy must look for it before saying anything).
 */
public record Fault(Kind kind, String message) {

    public enum Kind {
        /** The server's certificate is not trusted (or not the pinned one): never heals by retrying. */
        TLS_UNTRUSTED(false, false),
        /** Another TLS failure (protocol, cipher): never heals by retrying either. */
        TLS(false, false),
        /** The host name does not resolve. */
        DNS(false, false),
        /** Nothing listens on the port (or a firewall says no). */
        REFUSED(true, false),
        /** No answer in time: the request may have arrived and be acted on. */
        TIMEOUT(true, true),
        /** The connection broke mid-way: the request may have arrived. */
        BROKEN(true, true),
        /** 401/403: the credentials (or the user's role) were refused, so the request was not acted on. */
        CREDENTIALS(false, false),
        /** 5xx or 429: the server is busy or failing; it may have acted before answering 500. */
        SERVER(true, true),
        /** Anything else. */
        OTHER(false, true);

        private final boolean retryable;
        private final boolean mayHaveArrived;

        Kind(boolean retryable, boolean mayHaveArrived) {
            this.retryable = retryable;
            this.mayHaveArrived = mayHaveArrived;
        }
    }

    public boolean retryable() {
        return kind.retryable;
    }

    /** False when the storage system certainly never saw the request (so it cannot have acted on it). */
    public boolean mayHaveArrived() {
        return kind.mayHaveArrived;
    }
}
