package safeguard.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * GET /api/content/status. {@code state}: not-in-qradar, awaiting-authorization (no SEC_ADMIN_TOKEN yet),
 * pending, installed, drifted, error (retrying; see lastError and nextAttempt), uninstalled. {@code apiVersion}:
 * the QRadar API version in use (chosen from the console's /help/versions); {@code lastUninstall}: what the
 * uninstall hook removed, could not remove, and left because QRadar's API cannot remove it.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ContentStatus(
        String state,
        List<ItemStatus> items,
        String lastRun,
        String lastError,
        String nextAttempt,
        List<String> manualSteps,
        String apiVersion,
        boolean apiVersionDeprecated,
        UninstallResult lastUninstall) {

    public ContentStatus {
        items = List.copyOf(items);
        manualSteps = List.copyOf(manualSteps);
    }
}
