package safeguard.bundle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bundle build's guards: they must stop the build with a message that says what to do. */
class BuildScriptsTest {
    private static final Path BUILD = Path.of(System.getProperty("project.root"), "qradar-extension/src/build");

    record Run(int status, String output) {
    }

    private static Run bash(String script, String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("bash", BUILD.resolve(script).toString()));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().remove("BUNDLE_JDK");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS));
        return new Run(p.exitValue(), out);
    }

    @Test
    void a_manifest_version_that_differs_from_the_build_fails_it(@TempDir Path tmp) throws Exception {
        Path manifest = Files.writeString(tmp.resolve("manifest.json"), "{\"name\": \"x\", \"version\": \"9.9.9\"}");
        Run r = bash("check-manifest-version.sh", manifest.toString(), "0.1.0");
        assertEquals(1, r.status());
        assertTrue(r.output().contains("manifest.json version is '9.9.9' but the Maven version is '0.1.0'"), r.output());
        assertTrue(r.output().contains("Fix:"), r.output());
        assertEquals(0, bash("check-manifest-version.sh", manifest.toString(), "9.9.9").status());
    }

    @Test
    void a_missing_jdk_fails_the_build_naming_the_fix(@TempDir Path tmp) throws Exception {
        Run r = bash("make-runtime.sh", tmp.resolve("rt").toString(), "java.base", "/nonexistent/jdk");
        assertEquals(1, r.status());
        assertTrue(r.output().contains("/nonexistent/jdk has no bin/jlink"), r.output());
        assertTrue(r.output().contains("Fix: point -Dbundle.jdk="), r.output());
    }

    @Test
    void a_jdk_built_for_a_newer_glibc_is_refused(@TempDir Path tmp) throws Exception {
        Path debianJdk = Path.of("/usr/lib/jvm/java-17-openjdk-amd64");
        org.junit.jupiter.api.Assumptions.assumeTrue(Files.isExecutable(debianJdk.resolve("bin/jlink")),
                "needs Debian's OpenJDK, which this machine kind ships");
        Run r = bash("make-runtime.sh", tmp.resolve("rt").toString(), "java.base", debianJdk.toString());
        assertEquals(1, r.status());
        assertTrue(r.output().contains("Fix:"), r.output());
        assertTrue(!Files.exists(tmp.resolve("rt/bin/java")), "no half-made runtime is left behind");
    }
}
