package safeguard.content;

import java.util.List;

/**
 * What the uninstall hook removed from QRadar, what it tried and could not (with QRadar's answer), and what it
 * left because QRadar's API cannot remove it (QID records, DSM event mappings). QRadar requires a JSON 2xx answer.
 */
public record UninstallResult(List<String> removed, List<String> failed, List<String> left) {
    public UninstallResult {
        removed = List.copyOf(removed);
        failed = List.copyOf(failed);
        left = List.copyOf(left);
    }
}
