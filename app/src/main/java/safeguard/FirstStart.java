package safeguard;

/**
 * Shows the local admin token the one time it exists in the clear. Straight to the console, not through the
 * logger: the log file under store/log must never hold it.
 */
final class FirstStart {
    private FirstStart() {
    }

    static void announce(AppConfig config, int port, String token) {
        String host = config.bindAddress().equals("0.0.0.0") || config.bindAddress().equals("::")
                ? "127.0.0.1" : config.bindAddress();
        String url = "http://" + host + ":" + port + "/#admin-token=" + token;
        System.out.println();
        System.out.println("  Safeguard Responder: first start outside QRadar. Admin token (shown this once):");
        System.out.println("    " + token);
        System.out.println("  Open " + url);
        System.out.println("  Lost it? java -jar safeguard-responder-app.jar admin-token   (makes a new one)");
        System.out.println();
        System.out.flush();
    }
}
