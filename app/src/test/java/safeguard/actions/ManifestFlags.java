package safeguard.actions;

import java.util.List;

/** The JVM flags of the manifest's command, for tests in other packages that start the app as QRadar does. */
public final class ManifestFlags {
    private ManifestFlags() {
    }

    public static List<String> of() throws Exception {
        return BoundedMemoryProcessTest.manifestFlags();
    }
}
