package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Storage Scale: the file system, the filesets actions may snapshot ({@code defaultFileset} null = a global
 * snapshot), the snapshot name prefix, how long snapshots stay immutable, and the least time between two
 * triggered snapshots of the same file system or fileset.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleSettings(
        String fileSystem,
        String defaultFileset,
        List<String> filesets,
        String snapshotPrefix,
        Integer retentionHours,
        Integer minIntervalSeconds,
        String clusterTimeZone) {
}
