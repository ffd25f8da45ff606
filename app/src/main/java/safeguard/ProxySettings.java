package safeguard;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The outbound proxy QRadar hands the app (QRadar on Cloud routes all egress through it). Java ignores the
 * *_proxy variables, so every HTTP client is configured from this value explicitly.
 */
public record ProxySettings(String host, int port, String username, String password, List<String> noProxy) {

    public static final ProxySettings NONE = new ProxySettings(null, 0, null, null, List.of());

    public ProxySettings {
        noProxy = List.copyOf(noProxy);
    }

    public boolean enabled() {
        return host != null;
    }

    public Optional<String> credentials() {
        return username == null ? Optional.empty() : Optional.of(username + ":" + (password == null ? "" : password));
    }

    /** Whether a host should bypass the proxy, using curl's no_proxy rules (suffix match, "*" = all). */
    public boolean bypasses(String targetHost) {
        String h = targetHost.toLowerCase(Locale.ROOT);
        for (String entry : noProxy) {
            String e = entry.toLowerCase(Locale.ROOT);
            if (e.equals("*") || h.equals(e) || h.endsWith(e.startsWith(".") ? e : "." + e)) {
                return true;
            }
        }
        return false;
    }

    static ProxySettings parse(String variable, String url, String noProxyList) {
        if (url == null || url.isBlank()) {
            return NONE;
        }
        String withScheme = url.contains("://") ? url.trim() : "http://" + url.trim();
        URI uri;
        try {
            uri = new URI(withScheme);
        } catch (URISyntaxException e) {
            throw new ConfigException(variable + " is not a proxy URL (expected http://host:port)");
        }
        if (uri.getHost() == null) {
            throw new ConfigException(variable + " has no host (expected http://host:port)");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : ("https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80);
        String user = null;
        String pass = null;
        if (uri.getUserInfo() != null) {
            String[] parts = uri.getUserInfo().split(":", 2);
            user = parts[0];
            pass = parts.length > 1 ? parts[1] : null;
        }
        List<String> bypass = noProxyList == null || noProxyList.isBlank()
                ? List.of()
                : List.of(noProxyList.trim().split("\\s*,\\s*"));
        return new ProxySettings(uri.getHost(), port, user, pass, bypass);
    }

    @Override
    public String toString() {
        if (!enabled()) {
            return "none";
        }
        return host + ":" + port + (username == null ? "" : " (with credentials)") + " no_proxy=" + noProxy;
    }
}
