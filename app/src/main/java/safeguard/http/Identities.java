package safeguard.http;

import java.util.Set;
import java.util.function.Consumer;

/**
 * What identifies the copies that existed before an action asked for one (CSM backup ids, a scheduled task's last
 * run, CDM job run ids): journaled before the create, so a resumed action adopts a copy by identity (one not in
 * {@code known}) instead of comparing the storage system's clock with the app's.
 *
 * @param known   the identities an earlier run journaled; null when there was no earlier run, or it journaled none
 *                (then it never sent its create: identities are journaled first)
 * @param journal journals the identities seen just before the create
 */
public record Identities(Set<String> known, Consumer<Set<String>> journal) {
    public static final Identities NONE = new Identities(null, ids -> { });

    public boolean resuming() {
        return known != null;
    }
}
