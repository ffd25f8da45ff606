package safeguard;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the app reads from its environment, read once. Nothing else in the app calls System.getenv.
 *
 * <p>Inside QRadar the app framework injects the QRADAR_* variables, APP_ROOT and (once an admin authorised the app)
 * SEC_ADMIN_TOKEN. Outside QRadar every value has a local default so the app starts with no configuration at all.
 * SAFEGUARD_LAUNCHER is set by bin/safeguard so that hints printed to a person name the command they ran.
 */
public record AppConfig(
        String bindAddress,
        int port,
        Path storeDir,
        Optional<Path> appRoot,
        boolean insideQradar,
        boolean qradarOnCloud,
        Optional<String> consoleFqdn,
        Optional<String> appId,
        Optional<String> appUuid,
        Optional<Path> caBundle,
        Optional<String> adminToken,
        ProxySettings httpsProxy,
        String storeFrom,
        Optional<Path> launcher,
        boolean secureCookies,
        java.util.List<String> trustedProxies) {

    public static final int DEFAULT_PORT = 5000;

    /** Builds the config, or throws {@link ConfigException} naming the variable that is wrong. */
    public static AppConfig fromEnv(Map<String, String> env) {
        Optional<Path> appRoot = value(env, "APP_ROOT").map(Path::of);
        Optional<String> fqdn = value(env, "QRADAR_CONSOLE_FQDN");
        boolean inside = fqdn.isPresent();
        int port = port(env.get("SAFEGUARD_PORT"));
        // Inside the container QRadar reaches us through the mapped port, so listen everywhere; on a laptop keep
        // the admin UI private to this machine unless told otherwise.
        String bind = value(env, "SAFEGUARD_BIND").orElse(inside ? "0.0.0.0" : "127.0.0.1");
        String storeFrom = value(env, "SAFEGUARD_STORE").isPresent() ? "SAFEGUARD_STORE"
                : appRoot.isPresent() ? "APP_ROOT" : "the working directory";
        Path store = value(env, "SAFEGUARD_STORE").map(Path::of)
                .or(() -> appRoot.map(root -> root.resolve("store")))
                .orElse(Path.of("store"))
                .toAbsolutePath()
                .normalize();
        String httpsVar = env.containsKey("QRADAR_HTTPS_PROXY") ? "QRADAR_HTTPS_PROXY" : "https_proxy";
        String noProxy = value(env, "QRADAR_NO_PROXY").or(() -> value(env, "no_proxy")).orElse(null);
        ProxySettings proxy = ProxySettings.parse(httpsVar, env.get(httpsVar), noProxy);
        return new AppConfig(
                bind,
                port,
                store,
                appRoot,
                inside,
                value(env, "IS_QROC").map(v -> !v.equalsIgnoreCase("false")).orElse(false),
                fqdn,
                value(env, "QRADAR_APP_ID"),
                value(env, "QRADAR_APP_UUID"),
                value(env, "REQUESTS_CA_BUNDLE").map(Path::of),
                value(env, "SEC_ADMIN_TOKEN"),
                proxy,
                storeFrom,
                value(env, "SAFEGUARD_LAUNCHER").map(Path::of),
                // Inside QRadar the browser only ever reaches the app over the console's HTTPS; outside, say so when
                // a TLS proxy fronts the app (a request that arrives over HTTPS gets Secure cookies anyway).
                flag(env, "SAFEGUARD_SECURE_COOKIES", inside),
                trustedProxies(env, inside));
    }

    /**
     * The addresses whose X-Forwarded-For is believed: inside QRadar the console's (its app proxy), plus any listed
     * in SAFEGUARD_TRUSTED_PROXIES (comma-separated IP literals, e.g. a TLS proxy in front of the app outside QRadar).
     */
    private static java.util.List<String> trustedProxies(Map<String, String> env, boolean inside) {
        java.util.List<String> out = new java.util.ArrayList<>();
        if (inside) {
            value(env, "QRADAR_CONSOLE_IP").ifPresent(out::add);
        }
        for (String p : value(env, "SAFEGUARD_TRUSTED_PROXIES").orElse("").split(",")) {
            if (!p.isBlank()) {
                if (safeguard.http.IpLiteral.parse(p.trim()) == null) {
                    throw new ConfigException("SAFEGUARD_TRUSTED_PROXIES must list IP addresses separated by commas, got \""
                            + p.trim() + "\"");
                }
                out.add(p.trim());
            }
        }
        return java.util.List.copyOf(out);
    }

    /** The app as QRadar's console proxies it, which custom actions call. */
    public Optional<String> appProxyUrl() {
        if (consoleFqdn.isEmpty() || appId.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of("https://" + consoleFqdn.get() + "/console/plugins/" + appId.get() + "/app_proxy");
    }

    private static int port(String raw) {
        if (raw == null || raw.isBlank()) {
            return DEFAULT_PORT;
        }
        try {
            int port = Integer.parseInt(raw.trim());
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException ignored) {
            // reported below with the offending value
        }
        throw new ConfigException("SAFEGUARD_PORT must be a number from 0 to 65535, got \"" + raw + "\"");
    }

    private static boolean flag(Map<String, String> env, String name, boolean otherwise) {
        Optional<String> v = value(env, name);
        if (v.isEmpty()) {
            return otherwise;
        }
        return switch (v.get().toLowerCase(java.util.Locale.ROOT)) {
            case "true", "yes", "1" -> true;
            case "false", "no", "0" -> false;
            default -> throw new ConfigException(name + " must be true or false, got \"" + v.get() + "\"");
        };
    }

    private static Optional<String> value(Map<String, String> env, String name) {
        return Optional.ofNullable(env.get(name)).map(String::trim).filter(v -> !v.isEmpty());
    }

    /** Safe to log: the admin token and proxy credentials never appear. */
    @Override
    public String toString() {
        return "AppConfig[bind=" + bindAddress + ":" + port
                + ", store=" + storeDir + " (from " + storeFrom + ")"
                + ", insideQradar=" + insideQradar
                + ", qradarOnCloud=" + qradarOnCloud
                + ", console=" + consoleFqdn.orElse("-")
                + ", appId=" + appId.orElse("-")
                + ", caBundle=" + caBundle.map(Path::toString).orElse("-")
                + ", SEC_ADMIN_TOKEN " + (adminToken.isPresent() ? "set" : "unset")
                + ", proxy=" + httpsProxy
                + ", secureCookies=" + secureCookies
                + ", trustedProxies=" + trustedProxies + "]";
    }
}
