package safeguard.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import safeguard.ConfigException;

/**
 * The app's persistent directory ($APP_ROOT/store in QRadar, a volume kept across restarts and upgrades).
 * It will hold credentials' encryption key and the journal, so it is owner-only where the file system allows.
 */
public final class Store {
    private final Path dir;

    private Store(Path dir) {
        this.dir = dir;
    }

    /** Creates the directory layout and proves it writable, or throws a one-line {@link ConfigException}. */
    public static Store open(Path dir) {
        try {
            Permissions.ownerOnlyFolder(dir);
            Permissions.ownerOnlyFolder(dir.resolve("log"));
        } catch (IOException | SecurityException e) {
            throw new ConfigException("store directory " + dir + " cannot be created: " + reason(e));
        }
        Store store = new Store(dir);
        if (!store.isWritable()) {
            throw new ConfigException("store directory " + dir + " is not writable by this user");
        }
        return store;
    }

    public Path dir() {
        return dir;
    }

    public Path logDir() {
        return dir.resolve("log");
    }

    /** Probes with a real write: permission bits alone lie on read-only mounts and full disks. */
    public boolean isWritable() {
        try {
            Path probe = Files.createTempFile(dir, ".probe-", ".tmp");
            Files.delete(probe);
            return true;
        } catch (IOException | SecurityException e) {
            return false;
        }
    }

    /**
     * Replaces a file so that a crash at any moment leaves either the old or the new content, never a mix:
     * write a temp file beside it, fsync it, rename over the target, fsync the directory.
     */
    public void writeAtomically(String name, byte[] content) throws IOException {
        Path target = dir.resolve(name);
        Path tmp = Files.createTempFile(dir, "." + name + ".", ".tmp");
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(content);
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // some file systems cannot fsync a directory; the rename itself is still atomic
        }
    }

    /** The file's content, or empty when it does not exist yet. */
    public Optional<byte[]> read(String name) throws IOException {
        Path file = dir.resolve(name);
        return Files.exists(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
    }

    private static String reason(Exception e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "a file is in the way";
        }
        if (e instanceof FileSystemException fse && fse.getReason() != null) {
            return fse.getReason();
        }
        return e.getMessage() == null ? "unknown error" : e.getMessage();
    }
}
