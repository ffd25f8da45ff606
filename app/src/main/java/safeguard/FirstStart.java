package safeguard;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Shows the local admin token the one time it exists in the clear. Straight to the console, not through the
 * logger: the log file under store/log must never hold it.
 */
final class FirstStart {
    private FirstStart() {
    }

    static void announce(AppConfig config, Path store, int port, String token) {
        System.out.println();
        System.out.println("  Safeguard Responder: first start outside QRadar. Admin token (shown this once):");
        System.out.println("    " + token);
        System.out.println("  Open " + signInLink(config, port, token));
        System.out.println("  Store: " + store + " (from " + config.storeFrom() + ")");
        System.out.println("  Lost the token? " + adminTokenCommand(config, store) + "   (makes a new one for this store)");
        System.out.println();
        System.out.flush();
    }

    static String signInLink(AppConfig config, int port, String token) {
        String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
                ? "127.0.0.1" : config.bindAddress();
        return "http://" + host + ":" + port + "/#admin-token=" + token;
    }

    /**
     * The command that reaches this very store from where the app was started: the launcher when it was used (it
     * defaults the store to the repository's), else the jar this class was loaded from, with the store named
     * unless the default already finds it.
     */
    static String adminTokenCommand(AppConfig config, Path store) {
        Path cwd = Path.of("").toAbsolutePath();
        if (config.launcher().isPresent()) {
            Path launcher = config.launcher().get().toAbsolutePath().normalize();
            Path repoStore = launcher.getParent().getParent().resolve("store");
            String prefix = repoStore.equals(store) ? "" : "SAFEGUARD_STORE=" + store + " ";
            return prefix + shortest(cwd, launcher) + " admin-token";
        }
        String prefix = store.equals(config.storeDir()) && config.storeFrom().equals("the working directory") ? ""
                : "SAFEGUARD_STORE=" + store + " ";
        return prefix + "java -jar " + shortest(cwd, codeLocation()) + " admin-token";
    }

    private static Path codeLocation() {
        try {
            return Path.of(FirstStart.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (Exception e) {
            return Path.of("safeguard-responder-app.jar");
        }
    }

    private static String shortest(Path cwd, Path target) {
        if (target.startsWith(cwd) && !target.equals(cwd)) {
            return cwd.relativize(target).toString();
        }
        return target.toString();
    }

    /** Whether a store already exists at this place: the app has been started there (or a token was made). */
    static boolean storeExists(Path store) {
        return Files.isRegularFile(store.resolve("admin-token.json"));
    }
}
