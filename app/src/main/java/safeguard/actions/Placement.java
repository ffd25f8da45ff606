package safeguard.actions;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import safeguard.scale.Fileset;
import safeguard.scale.ScaleClient;
import safeguard.targets.ScaleSettings;

/**
 * Where an event's path lies on a Scale target, and what snapshot protects it (storage-apis.md §1a): the fileset
 * with the longest junction that prefixes the path holds the file; a dependent fileset is protected by the
 * independent fileset owning its inode space (Scale snapshots independent filesets only); a path in no fileset the
 * target allows is protected by a file-system (global) snapshot when the target allows that, else refused; a path
 * on another file system is refused. {@code fileset} null with no refusal = a global snapshot.
 *
 * @param fileset the fileset to snapshot, or null for a global snapshot
 * @param why     "path → fileset, why", for the plan and the timeline
 * @param refusal why nothing can be snapshotted for this path (null when placed)
 * @param unreachable the refusal is Scale being unreachable (an outcome, not-protected), not the path
 */
record Placement(String fileset, String why, String refusal, boolean unreachable) {

    static Placement placed(String fileset, String why) {
        return new Placement(fileset, why, null, false);
    }

    static Placement refused(String why) {
        return new Placement(null, why, why, false);
    }

    /** Scale could not be read and no layout was read before: the firing is taken and ends not protected. */
    static Placement unreachable(String why) {
        return new Placement(null, why, why, true);
    }

    String scope() {
        return refusal != null ? "unplaced" : fileset == null ? "global" : fileset;
    }

    /** Places {@code rawPath} on target {@code target} (its settings {@code s}) given Scale's {@code layout}. */
    static Placement of(String target, ScaleSettings s, ScaleClient.Layout layout, String rawPath) {
        String fs = s.fileSystem();
        String mount = normalize(layout.mountPoint());
        if (!rawPath.startsWith("/")) {
            return refused("path " + rawPath + " is not absolute, so no fileset of " + fs + " can be chosen for it");
        }
        String path = normalize(rawPath);
        if (!atOrUnder(path, mount)) {
            return refused("path " + path + " is not on file system " + fs + " (mounted at " + mount + "), the only one "
                    + "target " + target + " protects; its filesets: " + String.join(", ", s.filesets()));
        }
        Fileset holder = null;
        for (Fileset f : layout.filesets()) {
            if (f.junction() != null && atOrUnder(path, normalize(f.junction()))) {
                if (holder == null || normalize(f.junction()).length() > normalize(holder.junction()).length()) {
                    holder = f;
                }
            }
        }
        String allowed = s.filesets().isEmpty() ? "none" : String.join(", ", s.filesets());
        if (holder == null) {
            return outside(target, s, path, "is in no linked fileset of " + fs, List.of(), allowed);
        }
        Fileset snap = holder;
        String via = "";
        if (!holder.independent()) {
            snap = owner(layout.filesets(), holder.inodeSpace());
            if (snap == null) {
                return outside(target, s, path, "is in dependent fileset " + holder.name() + " (junction "
                        + holder.junction() + "), whose inode space " + holder.inodeSpace() + " has no owner Scale shows",
                        List.of(), allowed);
            }
            via = " via dependent fileset " + holder.name() + " (junction " + holder.junction() + "), which shares the"
                    + " inode space of independent fileset " + snap.name() + "; Scale snapshots independent filesets only";
        }
        String where = path + " → " + snap.name() + ": the longest junction containing the path is "
                + holder.junction() + " (fileset " + holder.name() + ")" + via;
        if (s.filesets().contains(snap.name())) {
            return placed(snap.name(), where);
        }
        // Only the owner of the file's inode space has it in a fileset snapshot: an outer fileset's snapshot does not.
        return outside(target, s, path, "is protected by fileset " + snap.name() + via + ", which target " + target
                + " may not snapshot", List.of(snap), allowed);
    }

    private static Placement outside(String target, ScaleSettings s, String path, String situation,
                                     List<Fileset> candidates, String allowed) {
        List<String> names = new ArrayList<>();
        candidates.forEach(f -> names.add(f.name()));
        String could = (names.isEmpty() ? "" : "fileset " + String.join(" or ", names) + ", or ")
                + "a file-system snapshot of " + s.fileSystem();
        if (Boolean.TRUE.equals(s.globalOutsideFilesets())) {
            return placed(null, path + " → file-system snapshot of " + s.fileSystem() + ": the path " + situation
                    + " (target filesets: " + allowed + ") and the target allows a file-system snapshot for such paths");
        }
        return refused("path " + path + " " + situation + " (target filesets: " + allowed + "); it could be protected by "
                + could + " — add that fileset to target " + target + ", or allow file-system snapshots for paths "
                + "outside its filesets");
    }

    private static Fileset owner(List<Fileset> all, long inodeSpace) {
        return all.stream().filter(f -> f.independent() && f.inodeSpace() == inodeSpace).findFirst().orElse(null);
    }

    static boolean atOrUnder(String path, String dir) {
        return dir.equals("/") || path.equals(dir) || path.startsWith(dir + "/");
    }

    /** '/'-separated without empty, '.' or '..' segments, as the file system resolves them. */
    static String normalize(String p) {
        Deque<String> parts = new ArrayDeque<>();
        for (String seg : p.split("/")) {
            if (seg.isEmpty() || seg.equals(".")) {
                continue;
            }
            if (seg.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(seg);
            }
        }
        return "/" + String.join("/", parts);
    }
}
