package safeguard.content;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * GET /api/content/action-caller: the authorized service the custom action's script calls the app with (label,
 * role and profile ids, when made, when it expires, when QRadar last saw it used), the user roles and security
 * profiles the console offers for it, and the console's error if it could not be asked.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ActionCallerView(String label, Long userRoleId, Long securityProfileId, String createdAt,
                               String expiresAt, String lastUsedAt, List<Choice> userRoles,
                               List<Choice> securityProfiles, String error) {
    public record Choice(long id, String name) {
    }
}
