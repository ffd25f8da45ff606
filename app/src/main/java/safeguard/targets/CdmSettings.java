package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Copy Data Management: the restore job to start and how often to check its run. How long to wait for the run
 * is the target's {@code confirmSeconds} (a stored {@code timeoutSeconds} of older versions is ignored).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CdmSettings(String jobName, Integer pollIntervalSeconds, List<String> allowedJobs) {
}
