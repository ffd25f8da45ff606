package safeguard.actions;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import safeguard.scale.ScaleClient;
import safeguard.targets.Connector;
import safeguard.targets.Target;

/**
 * Each Scale target's mount point and filesets, read from Scale and kept: read again when older than
 * {@link #FRESH} (filesets are linked and unlinked rarely), and on a miss (a path in no allowed fileset) when the
 * last read is older than {@link #RETRY}, so a burst of firings outside every fileset reads Scale once, not each
 * time. When Scale cannot be read, the last layout read is used, and the placement says so.
 */
final class ScaleLayouts {
    static final Duration FRESH = Duration.ofMinutes(5);
    static final Duration RETRY = Duration.ofSeconds(10);

    /** Reads a target's layout from Scale (the connector in the app, anything in a test). */
    interface Reader {
        ScaleClient.Layout read(Target t);
    }

    private record Known(String fileSystem, ScaleClient.Layout layout, Instant at) {
    }

    private final Reader reader;
    private final Clock clock;
    private final Map<String, Known> known = new ConcurrentHashMap<>();

    ScaleLayouts(Reader reader, Clock clock) {
        this.reader = reader;
        this.clock = clock;
    }

    static Reader of(Connector connector) {
        return t -> {
            try (Connector.Session s = connector.open(t.name())) {
                return connector.scale(s).layout(t.scale().fileSystem());
            }
        };
    }

    /** Where {@code path} lies on Scale target {@code t}; without {@code mayCall} (dry run) Scale is not read. */
    Placement place(Target t, String path, boolean mayCall) {
        Instant now = clock.instant();
        Known k = known.get(t.name());
        boolean usable = k != null && k.fileSystem.equals(t.scale().fileSystem());
        if (!mayCall) {
            if (usable) {
                return Placement.of(t.name(), t.scale(), k.layout, path);
            }
            String f = t.scale().defaultFileset();
            return Placement.placed(f, "dry run: Scale is not called, so path " + path + " was not placed by junction"
                    + " (a live run reads the filesets first); shown with " + (f == null ? "a file-system snapshot"
                    : "the default fileset " + f));
        }
        String stale = null;
        if (!usable || k.at.plus(FRESH).isBefore(now)) {
            try {
                k = refresh(t, now);
            } catch (RuntimeException e) {
                if (!usable) {
                    return Placement.unreachable("could not read the filesets of " + t.scale().fileSystem() + " from Scale "
                            + "to place path " + path + ": " + message(e));
                }
                stale = " (filesets as read at " + k.at + "; Scale could not be read now: " + message(e) + ")";
            }
        }
        Placement p = Placement.of(t.name(), t.scale(), k.layout, path);
        if ((p.refusal() != null || p.fileset() == null) && stale == null && k.at.plus(RETRY).isBefore(now)) {
            // A miss: a fileset may have been linked since the last read.
            try {
                k = refresh(t, now);
                p = Placement.of(t.name(), t.scale(), k.layout, path);
            } catch (RuntimeException e) {
                stale = " (filesets as read at " + k.at + "; Scale could not be read now: " + message(e) + ")";
            }
        }
        return stale == null ? p : p.refusal() != null ? Placement.refused(p.refusal() + stale)
                : Placement.placed(p.fileset(), p.why() + stale);
    }

    private Known refresh(Target t, Instant now) {
        Known k = new Known(t.scale().fileSystem(), reader.read(t), now);
        known.put(t.name(), k);
        return k;
    }

    private static String message(RuntimeException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
