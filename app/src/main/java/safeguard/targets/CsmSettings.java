package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/** Copy Services Manager: a session and its command (default Backup), or a scheduled task run by name. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CsmSettings(String session, String command, String scheduledTask, List<String> allowedSessions) {
}
