package safeguard.content;

import java.util.List;
import safeguard.store.Store;

/**
 * The QRadar content this app installs (DSM, properties, QIDs, reference sets, custom action) and removes on
 * uninstall. Only what the app itself created, as recorded in its ledger, is ever removed.
 */
public final class ContentService {
    private final Store store;

    public ContentService(Store store) {
        this.store = store;
    }

    public ContentStatus status() {
        return new ContentStatus("not-provisioned", List.of(), null);
    }

    public UninstallResult uninstall() {
        return new UninstallResult(List.of(), List.of());
    }

    Store store() {
        return store;
    }
}
