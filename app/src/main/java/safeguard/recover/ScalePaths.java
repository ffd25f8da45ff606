package safeguard.recover;

import java.util.ArrayList;
import java.util.List;
import safeguard.InvalidInputException;

/**
 * Paths an admin may restore: absolute, written plainly (no ".", "..", empty parts or control characters, at most
 * PATH_MAX), and inside the fileset (or file system) the snapshot was taken of — anything else is refused before
 * Scale is asked, naming the field.
 */
final class ScalePaths {
    static final int MAX_PATH = 4096;
    static final int MAX_PATHS = 100;

    private ScalePaths() {
    }

    static String plain(String field, String p) {
        if (p == null || p.isEmpty()) {
            throw new InvalidInputException(field, field + " is empty");
        }
        if (p.length() > MAX_PATH || p.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new InvalidInputException(field, field + " must be at most " + MAX_PATH + " characters, without control characters");
        }
        if (!p.startsWith("/")) {
            throw new InvalidInputException(field, field + " must be an absolute path (starting with /): " + p);
        }
        String trimmed = p.length() > 1 && p.endsWith("/") ? p.substring(0, p.length() - 1) : p;
        if (!trimmed.equals("/")) {
            for (String part : trimmed.substring(1).split("/", -1)) {
                if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                    throw new InvalidInputException(field, field + " must not contain '.', '..' or '//': " + p);
                }
            }
        }
        return trimmed;
    }

    static boolean inside(String root, String p) {
        return p.equals(root) || p.startsWith(root.equals("/") ? "/" : root + "/");
    }

    /** The paths, each checked and inside {@code root}; none inside another. */
    static List<String> checked(List<String> paths, String root, String rootName) {
        if (paths.size() > MAX_PATHS) {
            throw new InvalidInputException("paths", "at most " + MAX_PATHS + " paths per restore");
        }
        List<String> out = new ArrayList<>();
        for (int i = 0; i < paths.size(); i++) {
            String field = "paths[" + i + "]";
            String p = plain(field, paths.get(i));
            if (!inside(root, p)) {
                throw new InvalidInputException(field, field + " " + p + " is not inside " + rootName + " (" + root
                        + "), which the snapshot holds");
            }
            for (int j = 0; j < out.size(); j++) {
                if (inside(out.get(j), p) || inside(p, out.get(j))) {
                    throw new InvalidInputException(field, field + " " + p + " overlaps paths[" + j + "] " + out.get(j)
                            + "; give each folder once");
                }
            }
            out.add(p);
        }
        return out;
    }
}
