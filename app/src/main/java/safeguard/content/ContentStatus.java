package safeguard.content;

import java.util.List;

public record ContentStatus(String state, List<String> installed, String lastError) {
    public ContentStatus {
        installed = List.copyOf(installed);
    }
}
