package safeguard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy as QRadar's egress proxy behaves for HTTPS (RFC 9110 §9.3.6 CONNECT: a tunnel, "200 Connection
 * established", then bytes both ways), recording each tunnel's {@code host:port} and the credentials it was given.
 * Anything but CONNECT is answered 405: an HTTPS client must tunnel.
 */
public final class ConnectProxy implements AutoCloseable {
    private final ServerSocket server;
    private final List<String> tunnels = new CopyOnWriteArrayList<>();
    private final List<String> refused = new CopyOnWriteArrayList<>();
    private final Thread acceptor;

    public ConnectProxy() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::accept, "connect-proxy");
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public int port() {
        return server.getLocalPort();
    }

    /** {@code host:port} of every tunnel opened, in order. */
    public List<String> tunnels() {
        return List.copyOf(tunnels);
    }

    /** Request lines that were not CONNECT. */
    public List<String> refused() {
        return List.copyOf(refused);
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                Socket client = server.accept();
                Thread t = new Thread(() -> serve(client), "connect-proxy-conn");
                t.setDaemon(true);
                t.start();
            } catch (IOException e) {
                return;
            }
        }
    }

    private void serve(Socket client) {
        try (client) {
            InputStream in = client.getInputStream();
            String head = readHead(in);
            String line = head.lines().findFirst().orElse("");
            String[] parts = line.split(" ");
            OutputStream out = client.getOutputStream();
            if (parts.length < 2 || !parts[0].equals("CONNECT")) {
                refused.add(line);
                out.write("HTTP/1.1 405 Method Not Allowed\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                return;
            }
            tunnels.add(parts[1]);
            int colon = parts[1].lastIndexOf(':');
            try (Socket upstream = new Socket(parts[1].substring(0, colon), Integer.parseInt(parts[1].substring(colon + 1)))) {
                out.write("HTTP/1.1 200 Connection established\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
                Thread back = new Thread(() -> pipe(upstream, client), "connect-proxy-back");
                back.setDaemon(true);
                back.start();
                pipe(client, upstream);
                back.join(5_000);
            }
        } catch (IOException | InterruptedException | RuntimeException e) {
            // the client or the upstream went away: the tunnel ends
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) >= 0) {
            b.write(c);
            byte[] a = b.toByteArray();
            int n = a.length;
            if (n >= 4 && a[n - 4] == '\r' && a[n - 3] == '\n' && a[n - 2] == '\r' && a[n - 1] == '\n') {
                break;
            }
            if (n > 16_384) {
                throw new IOException("request head too long");
            }
        }
        return b.toString(StandardCharsets.US_ASCII);
    }

    private static void pipe(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
            to.shutdownOutput();
        } catch (IOException e) {
            // closed
        }
    }

    @Override
    public void close() throws IOException {
        server.close();
    }
}
