package safeguard.offenses;

import java.util.List;

/** What one poll did: requests sent, bytes of offenses read, offenses read, actions started (ids). */
public record PollResult(int requests, long bytes, int read, List<String> started) {
}
