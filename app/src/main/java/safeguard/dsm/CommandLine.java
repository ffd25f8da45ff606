package safeguard.dsm;

import java.net.URI;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * File-name arguments as the shell passed them. Java decodes the command line with {@code sun.jnu.encoding}, which
 * under {@code LANG=C} is ASCII: each byte of the {@code é} in {@code résumé.log} arrives as a replacement
 * character, and no String names the file any more. On Linux the kernel still holds the bytes ({@code /proc/self/cmdline}), and a
 * {@code file:} URI with percent-encoded bytes makes a Path of exactly those bytes, whatever the charset.
 */
final class CommandLine {
    private static final Charset JNU = jnuCharset();

    private final List<String> args;
    private final List<byte[]> raw; // null when the bytes are unknown

    private CommandLine(List<String> args, List<byte[]> raw) {
        this.args = args;
        this.raw = raw;
    }

    /** Arguments given as Strings (tests, other callers): used as they are. */
    static CommandLine of(List<String> args) {
        return new CommandLine(args, null);
    }

    /** This process's arguments, with their bytes when the kernel's copy provably holds them. */
    static CommandLine ofThisProcess(List<String> args) {
        try {
            List<byte[]> all = split(Files.readAllBytes(Path.of("/proc/self/cmdline")));
            if (all.size() < args.size()) {
                return of(args);
            }
            List<byte[]> tail = all.subList(all.size() - args.size(), all.size());
            for (int i = 0; i < args.size(); i++) {
                // the program's arguments end the command line unless they came from an @argfile: then they differ
                if (!new String(tail.get(i), JNU).equals(args.get(i))) {
                    return of(args);
                }
            }
            return new CommandLine(args, List.copyOf(tail));
        } catch (Exception e) {
            return of(args); // not Linux, or no /proc: names work as far as the locale's charset allows
        }
    }

    Path path(int i) {
        String arg = args.get(i);
        if (raw != null && !Arrays.equals(raw.get(i), arg.getBytes(JNU))) {
            return fromBytes(raw.get(i));
        }
        return Path.of(arg);
    }

    /** The argument for a message; this CLI writes UTF-8, so the bytes are shown as UTF-8. */
    String display(int i) {
        return raw == null ? args.get(i) : new String(raw.get(i), StandardCharsets.UTF_8);
    }

    static Path fromBytes(byte[] name) {
        StringBuilder uri = new StringBuilder("file://");
        if (name.length == 0 || name[0] != '/') {
            uri.append("/proc/self/cwd/"); // the working directory's own name may not survive the charset either
        }
        for (byte b : name) {
            int c = b & 0xff;
            if (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || "/-._~".indexOf(c) >= 0) {
                uri.append((char) c);
            } else {
                uri.append('%').append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
            }
        }
        return Path.of(URI.create(uri.toString()));
    }

    private static List<byte[]> split(byte[] cmdline) {
        List<byte[]> parts = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < cmdline.length; i++) {
            if (cmdline[i] == 0) {
                parts.add(Arrays.copyOfRange(cmdline, start, i));
                start = i + 1;
            }
        }
        if (start < cmdline.length) {
            parts.add(Arrays.copyOfRange(cmdline, start, cmdline.length));
        }
        return parts;
    }

    private static Charset jnuCharset() {
        try {
            return Charset.forName(System.getProperty("sun.jnu.encoding"));
        } catch (RuntimeException e) {
            return Charset.defaultCharset();
        }
    }
}
