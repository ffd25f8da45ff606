package safeguard.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The bundle as QRadar's app framework installs it: unzipped into a folder standing in for /opt/app-root, the
 * container/build steps run, and the manifest's service started as supervisord starts it.
 */
final class InstalledBundle {
    static final String APP_ROOT = "/opt/app-root";

    final Path root;
    final List<String> entries = new ArrayList<>();
    final JsonNode manifest;

    private InstalledBundle(Path root) throws IOException {
        this.root = root;
        this.manifest = ManifestRules.MAPPER.readTree(root.resolve("manifest.json").toFile());
    }

    /** Extracts like Python's zipfile does in QRadar: contents only, no file modes. */
    static InstalledBundle unzip(Path zip, Path root) throws IOException {
        List<String> names = new ArrayList<>();
        try (ZipFile z = new ZipFile(zip.toFile())) {
            Enumeration<? extends ZipEntry> all = z.entries();
            while (all.hasMoreElements()) {
                ZipEntry e = all.nextElement();
                names.add(e.getName());
                Path target = root.resolve(e.getName()).normalize();
                if (!target.startsWith(root)) {
                    throw new IOException("zip entry escapes the app root: " + e.getName());
                }
                if (e.isDirectory()) {
                    Files.createDirectories(target);
                } else {
                    Files.createDirectories(target.getParent());
                    try (InputStream in = z.getInputStream(e)) {
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
        }
        InstalledBundle b = new InstalledBundle(root);
        b.entries.addAll(names);
        return b;
    }

    String local(String containerPath) {
        return containerPath.replace(APP_ROOT, root.toString());
    }

    /** container/build/ordering.txt: each line runs at image build time. */
    void runBuildSteps() throws IOException, InterruptedException {
        Path ordering = root.resolve("container/build/ordering.txt");
        if (!Files.exists(ordering)) {
            return;
        }
        for (String line : Files.readAllLines(ordering)) {
            if (line.isBlank()) {
                continue;
            }
            ProcessBuilder pb = new ProcessBuilder("sh", "-c", local(line)).inheritIO();
            pb.environment().put("APP_ROOT", root.toString()); // set by the app image's Dockerfile
            Process p = pb.start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("build step failed: " + line);
            }
        }
    }

    JsonNode service() {
        return manifest.get("services").get(0);
    }

    /** Starts the service's command with supervisord's semantics: no shell, its directory, its log files. */
    Process startService(Map<String, String> env) throws IOException {
        JsonNode s = service();
        String command = s.get("command").asText();
        if (command.contains("\"") || command.contains("'")) {
            throw new IllegalStateException("quoted command: extend the splitter to shlex rules");
        }
        List<String> argv = new ArrayList<>();
        for (String word : command.trim().split("\\s+")) {
            argv.add(local(word));
        }
        Path stdout = Path.of(local(s.get("stdout_logfile").asText()));
        Path stderr = Path.of(local(s.get("stderr_logfile").asText()));
        Files.createDirectories(stdout.getParent());
        ProcessBuilder pb = new ProcessBuilder(argv)
                .directory(Path.of(local(s.path("directory").asText(APP_ROOT))).toFile())
                .redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()))
                .redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
        pb.environment().clear();
        pb.environment().putAll(env);
        return pb.start();
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
