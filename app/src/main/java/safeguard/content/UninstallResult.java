package safeguard.content;

import java.util.List;

/** What the uninstall hook removed from QRadar, and what it could not (QRadar requires a JSON 2xx answer). */
public record UninstallResult(List<String> removed, List<String> failed) {
    public UninstallResult {
        removed = List.copyOf(removed);
        failed = List.copyOf(failed);
    }
}
