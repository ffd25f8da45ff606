package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Copy Data Management: the restore job to start, how often to poll it, and when to give up waiting. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CdmSettings(String jobName, Integer pollIntervalSeconds, Integer timeoutSeconds, List<String> allowedJobs) {
}
