package safeguard.store;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The store holds the credentials' key, the journal's key and every record: owner-only throughout (files 0600,
 * folders 0700), not only behind the root folder's bits, so a copy of one file or a looser parent keeps them so.
 * New files are created that way; {@link #check} finds and fixes what is not (files written by an older version,
 * the log, a restore from backup) at every start.
 */
public final class Permissions {
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    static final Set<PosixFilePermission> FOLDER = PosixFilePermissions.fromString("rwx------");
    private static final boolean POSIX = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

    private Permissions() {
    }

    /** What {@link #check} changed, and what it could not change (reported in health). */
    public record Report(List<String> fixed, List<String> failed) {
    }

    /** Attributes that create a file owner-only (none where the file system has no POSIX bits). */
    public static FileAttribute<?>[] ownerOnlyFile() {
        return POSIX ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(FILE)} : new FileAttribute<?>[0];
    }

    /** Creates a folder of the store (and its parents) and makes it owner-only: the store's one way to add a folder. */
    public static Path ownerOnlyFolder(Path dir) throws IOException {
        Files.createDirectories(dir);
        ownerOnly(dir);
        return dir;
    }

    /** Makes one file or folder owner-only (no-op without POSIX bits). */
    public static void ownerOnly(Path p) throws IOException {
        if (POSIX) {
            Files.setPosixFilePermissions(p, Files.isDirectory(p) ? FOLDER : FILE);
        }
    }

    /** Walks the store: every folder 0700, every file 0600; fixes what differs and says what it fixed or could not. */
    public static Report check(Path root) {
        List<String> fixed = new ArrayList<>();
        List<String> failed = new ArrayList<>();
        if (!POSIX || !Files.isDirectory(root)) {
            return new Report(fixed, failed);
        }
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path d, BasicFileAttributes a) {
                    fix(root, d, FOLDER, fixed, failed);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    if (a.isRegularFile()) {
                        fix(root, f, FILE, fixed, failed);
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    failed.add(root.relativize(f) + ": " + e.getMessage());
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            failed.add(root + ": " + e.getMessage());
        }
        if (!fixed.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(Permissions.class).warn("store permissions made owner-only: {}", fixed);
        }
        if (!failed.isEmpty()) {
            org.slf4j.LoggerFactory.getLogger(Permissions.class).error("store permissions could not be fixed: {}", failed);
        }
        return new Report(List.copyOf(fixed), List.copyOf(failed));
    }

    private static void fix(Path root, Path p, Set<PosixFilePermission> want, List<String> fixed, List<String> failed) {
        try {
            Set<PosixFilePermission> has = Files.getPosixFilePermissions(p);
            if (!has.equals(want)) {
                Files.setPosixFilePermissions(p, want);
                String name = root.equals(p) ? "." : root.relativize(p).toString();
                fixed.add(name + " " + PosixFilePermissions.toString(has) + " -> " + PosixFilePermissions.toString(want));
            }
        } catch (IOException | UnsupportedOperationException e) {
            failed.add(root.relativize(p) + ": " + e.getMessage());
        }
    }

    /** The bytes the store takes on disk (files' sizes), shown in health. */
    public static long bytesOnDisk(Path root) {
        long[] total = {0};
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path f, BasicFileAttributes a) {
                    total[0] += a.size();
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path f, IOException e) {
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            return -1;
        }
        return total[0];
    }
}
