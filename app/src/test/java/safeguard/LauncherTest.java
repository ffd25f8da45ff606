package safeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** bin/safeguard, the README's run command: the JVM QRadar starts, read from the manifest, not copied. */
class LauncherTest {
    static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void the_launcher_starts_java_with_the_manifests_memory_flags_less_the_image_only_archive() throws Exception {
        String command = Json.mapper().readTree(ROOT.resolve("manifest.json").toFile())
                .at("/services/0/command").asText();
        List<String> words = Arrays.asList(command.split("\\s+"));
        List<String> expected = words.subList(1, words.indexOf("-jar")).stream()
                .filter(w -> !w.contains("SharedArchive") && !w.startsWith("-Xlog:cds")).toList();

        Process p = new ProcessBuilder(ROOT.resolve("bin/safeguard").toString(), "--jvm-flags")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertEquals(0, p.exitValue(), out);
        assertEquals(expected, List.of(out.split(" ")));
        assertTrue(expected.contains("-Xmx96m") && expected.contains("-XX:+UseSerialGC"), expected.toString());
    }

    @Test
    void the_readme_runs_the_app_through_the_launcher_and_needs_no_browser_install() throws Exception {
        String readme = Files.readString(ROOT.resolve("README.md"));
        String run = readme.substring(readme.indexOf("**Run the app"));
        String command = run.substring(run.indexOf("```sh") + 5, run.indexOf("```", run.indexOf("```sh") + 5)).trim();
        assertTrue(command.endsWith("bin/safeguard"), command);
        assertTrue(!command.contains(".ci/setup") && !command.contains("apt"), command);
    }
}
