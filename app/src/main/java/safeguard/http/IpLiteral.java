package safeguard.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/** An IP address written as a literal, parsed without ever asking DNS (InetAddress would look up anything else). */
public final class IpLiteral {
    private static final Pattern V4 = Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern V6 = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private IpLiteral() {
    }

    /** The address, or null when {@code text} is not an IPv4 dotted quad or an IPv6 literal (without brackets). */
    public static InetAddress parse(String text) {
        if (text == null) {
            return null;
        }
        boolean v4 = V4.matcher(text).matches();
        boolean v6 = !v4 && text.indexOf(':') >= 0 && V6.matcher(text).matches();
        if (!v4 && !v6) {
            return null;
        }
        try {
            return InetAddress.getByName(text); // a literal: no lookup
        } catch (UnknownHostException | RuntimeException e) {
            return null;
        }
    }
}
