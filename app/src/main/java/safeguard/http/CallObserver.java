package safeguard.http;

/**
 * Told about every upstream request before it is sent and about its answer (or failure) when it is known.
 * An action journals both (write-ahead), so a crash between the two leaves "asked, answer unknown" on disk;
 * connection tests and listings use {@link #NONE} and keep only {@link Upstream#calls()}.
 */
public interface CallObserver {
    CallObserver NONE = new CallObserver() {
        @Override
        public void sending(Call call) {
        }

        @Override
        public void answered(Call call, CallRecord answer) {
        }
    };

    /**
     * One request on the wire: {@code id} is unique within the conversation, {@code request} is "METHOD path",
     * {@code creates} names what it asks the storage system to create (null for reads).
     */
    record Call(String id, String operation, String request, String creates) {
    }

    /** Returns once the request may go out; throwing stops it from being sent. */
    void sending(Call call);

    void answered(Call call, CallRecord answer);
}
