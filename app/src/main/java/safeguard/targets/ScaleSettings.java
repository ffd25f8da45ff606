package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Storage Scale: the file system, the filesets actions may snapshot ({@code defaultFileset} null = a global
 * snapshot), the snapshot name prefix, how long snapshots stay immutable, and the least time between two
 * triggered snapshots of the same file system or fileset. {@code globalOutsideFilesets} (off unless true): an
 * event's path in none of the allowed filesets is protected by a file-system (global) snapshot instead of refused.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ScaleSettings(
        String fileSystem,
        String defaultFileset,
        List<String> filesets,
        String snapshotPrefix,
        Integer retentionHours,
        Integer minIntervalSeconds,
        String clusterTimeZone,
        Boolean globalOutsideFilesets) {

    public ScaleSettings(String fileSystem, String defaultFileset, List<String> filesets, String snapshotPrefix,
                         Integer retentionHours, Integer minIntervalSeconds, String clusterTimeZone) {
        this(fileSystem, defaultFileset, filesets, snapshotPrefix, retentionHours, minIntervalSeconds, clusterTimeZone, null);
    }
}
