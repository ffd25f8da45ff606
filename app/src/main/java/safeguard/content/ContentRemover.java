package safeguard.content;

import static safeguard.content.ContentProvisioner.CUSTOM_ACTION;
import static safeguard.content.ContentProvisioner.CUSTOM_ACTION_SCRIPT;
import static safeguard.content.ContentProvisioner.EXPRESSION;
import static safeguard.content.ContentProvisioner.JSON_EXPRESSION;
import static safeguard.content.ContentProvisioner.LOG_SOURCE;
import static safeguard.content.ContentProvisioner.LST;
import static safeguard.content.ContentProvisioner.MAPPING;
import static safeguard.content.ContentProvisioner.PROPERTY;
import static safeguard.content.ContentProvisioner.QID;
import static safeguard.content.ContentProvisioner.SEED;
import static safeguard.content.ContentProvisioner.SET;

import java.util.ArrayList;
import java.util.List;
import safeguard.qradar.QradarClient;
import safeguard.qradar.ReferenceData;
import safeguard.qradar.QradarException;

/**
 * The uninstall hook's work: removes, newest first, what the ledger says the app created, and says plainly what it
 * cannot remove. QRadar's API 26.0 has no DELETE for QID records nor for DSM event mappings, so those stay (and
 * stay in the ledger, so a reinstall finds and reuses them instead of making copies).
 */
final class ContentRemover {
    static final String NO_DELETE_QID = "QRadar's API has no DELETE for QID records: left in QRadar (reused if the app is installed again)";
    static final String NO_DELETE_MAPPING = "QRadar's API has no DELETE for DSM event mappings: left in QRadar (reused if the app is installed again)";

    private final QradarClient qradar;
    private final ContentLedger ledger;
    private final ActionCaller caller;
    private ReferenceData referenceData;

    /** {@code caller} (null: none) is the custom action's authorized service, deleted after the actions. */
    ContentRemover(QradarClient qradar, ContentLedger ledger, ActionCaller caller) {
        this.qradar = qradar;
        this.ledger = ledger;
        this.caller = caller;
    }

    private ReferenceData referenceData() {
        if (referenceData == null) {
            referenceData = ReferenceData.of(qradar);
        }
        return referenceData;
    }

    UninstallResult uninstall() {
        List<String> removed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        List<String> left = new ArrayList<>();
        List<LedgerEntry> entries = ledger.entries();
        for (int i = entries.size() - 1; i >= 0; i--) {
            LedgerEntry e = entries.get(i);
            if (!e.created()) {
                continue;
            }
            String label = e.kind() + " " + e.name();
            try {
                switch (e.kind()) {
                    case QID -> {
                        left.add(label + ": " + NO_DELETE_QID);
                        continue;
                    }
                    case MAPPING -> {
                        left.add(label + ": " + NO_DELETE_MAPPING);
                        continue;
                    }
                    case SEED -> { } // its elements go with the set
                    case SET -> {
                        // Found by name: an entry from before the collections API holds the name, not the id.
                        var set = referenceData().find(e.name());
                        if (set.isEmpty()) {
                            removed.add(label + " (already gone)");
                            ledger.forget(e);
                            continue;
                        }
                        referenceData().delete(set.get());
                    }
                    case PROPERTY -> qradar.deleteAndWait(ContentProvisioner.PROPERTIES + "/" + e.id(),
                            ContentProvisioner.PROPERTY_TASKS);
                    case EXPRESSION -> qradar.delete(ContentProvisioner.EXPRESSIONS + "/" + e.id());
                    case JSON_EXPRESSION -> qradar.delete(ContentProvisioner.JSON_EXPRESSIONS + "/" + e.id());
                    case LST -> qradar.delete(ContentProvisioner.LOG_SOURCE_TYPES + "/" + e.id());
                    case LOG_SOURCE -> qradar.delete(ContentProvisioner.LOG_SOURCES + "/" + e.id());
                    case CUSTOM_ACTION -> qradar.delete(CustomActions.ACTIONS + "/" + e.id());
                    case CUSTOM_ACTION_SCRIPT -> qradar.delete(CustomActions.SCRIPTS + "/" + e.id());
                    default -> {
                        left.add(label + ": unknown kind, left in QRadar");
                        continue;
                    }
                }
                if (!e.kind().equals(SEED)) {
                    removed.add(label);
                }
                ledger.forget(e);
            } catch (QradarException ex) {
                if (ex.isNotFound()) {
                    removed.add(label + " (already gone)");
                    ledger.forget(e);
                } else {
                    failed.add(label + ": " + ex.getMessage());
                }
            }
        }
        if (caller != null) {
            caller.remove(removed, failed);
        }
        return new UninstallResult(removed, failed, left);
    }
}
