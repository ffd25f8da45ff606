import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Issue #15's finding, measured: the latency of /debug (QRadar's liveness check, a fresh connection each time) and
 * /api/health while N connections trickle a request body one byte every 2 s (each one the server cuts off is
 * replaced at once, so N stay open throughout), against the app as a separate process
 * started from the jar with the JVM flags given. Usage: java SlowClientsBench.java JAR N [JVM flags...]
 */
public class SlowClientsBench {
    static final int PROBE_TIMEOUT_MS = 5_000;
    static final long TICK_MS = 2_000;
    /** Probes of each route under load; fewer for a build where each one waits out its timeout. */
    static final int PROBES = Integer.getInteger("probes", 150);

    public static void main(String[] args) throws Exception {
        String jar = args[0];
        int n = Integer.parseInt(args[1]);
        List<String> flags = Arrays.asList(args).subList(2, args.length);
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        Path store = Files.createTempDirectory("slow-clients-store-");
        List<String> cmd = new ArrayList<>(List.of("java"));
        cmd.addAll(flags);
        cmd.addAll(List.of("-jar", jar));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectOutput(store.resolve("app.out").toFile());
        pb.environment().putAll(Map.of("SAFEGUARD_PORT", Integer.toString(port), "SAFEGUARD_STORE", store.toString(),
                "SAFEGUARD_BIND", "127.0.0.1"));
        System.out.println("app: " + String.join(" ", cmd));
        Process app = pb.start();
        List<Socket> slow = java.util.Collections.synchronizedList(new ArrayList<>());
        try {
            long until = System.nanoTime() + 30_000_000_000L;
            while (probe(port, "/debug") < 0) {
                if (System.nanoTime() > until || !app.isAlive()) {
                    throw new IllegalStateException("the app did not start; see " + store.resolve("app.out"));
                }
                Thread.sleep(100);
            }
            report("idle", port, 100, 100, null);

            for (int i = 0; i < n; i++) {
                slow.add(slowConnection(port));
            }
            int[] outcomes = new int[600];
            int[] replaced = {0};
            // The attacker keeps n connections trickling: one the server answered or closed is replaced at once.
            Thread ticker = new Thread(() -> {
                while (!Thread.currentThread().isInterrupted()) {
                    for (int i = 0; i < slow.size(); i++) {
                        Socket s = slow.get(i);
                        try {
                            if (s.getInputStream().available() > 0) {
                                throw new IOException("answered");
                            }
                            OutputStream out = s.getOutputStream();
                            out.write(' ');
                            out.flush();
                        } catch (IOException cutOff) {
                            synchronized (outcomes) {
                                String o = outcome(s);
                                outcomes[o.matches("\\d{3}") ? Integer.parseInt(o) : 599]++;
                            }
                            try {
                                s.close();
                                slow.set(i, slowConnection(port));
                                replaced[0]++;
                            } catch (IOException e) {
                                // try again next tick
                            }
                        }
                    }
                    try {
                        Thread.sleep(TICK_MS);
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "ticker");
            ticker.setDaemon(true);
            ticker.start();
            Thread.sleep(3_000);
            report(n + " slow-body connections kept open", port, PROBES, 200, slow);
            ticker.interrupt();
            ticker.join();
            Map<String, Integer> got = new TreeMap<>();
            synchronized (outcomes) {
                for (int i = 0; i < outcomes.length; i++) {
                    if (outcomes[i] > 0) {
                        got.put(i == 599 ? "closed without an answer" : "HTTP " + i, outcomes[i]);
                    }
                }
            }
            System.out.println("slow connections cut off by the server and replaced during the run: " + replaced[0]
                    + " " + got);
        } finally {
            for (Socket s : new ArrayList<>(slow)) {
                s.close();
            }
            app.destroy();
            app.waitFor();
        }
    }

    static Socket slowConnection(int port) throws IOException {
        Socket s = new Socket("127.0.0.1", port);
        s.getOutputStream().write(("POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                + "Content-Length: 100000\r\n\r\n{").getBytes(StandardCharsets.US_ASCII));
        return s;
    }

    static void report(String label, int port, int probes, long everyMs, List<Socket> slow) throws Exception {
        for (String path : List.of("/debug", "/api/health")) {
            long[] ms = new long[probes];
            int failed = 0;
            for (int i = 0; i < probes; i++) {
                long t = probe(port, path);
                if (t < 0) {
                    failed++;
                    t = PROBE_TIMEOUT_MS;
                }
                ms[i] = t;
                Thread.sleep(everyMs);
            }
            Arrays.sort(ms);
            System.out.printf("%-32s %-12s n=%d median=%d ms p90=%d ms p99=%d ms max=%d ms failed(>%d ms or error)=%d%n",
                    label, path, probes, ms[probes / 2], ms[(int) (probes * 0.9)], ms[(int) (probes * 0.99)],
                    ms[probes - 1], PROBE_TIMEOUT_MS, failed);
        }
    }

    /** One GET on a fresh connection, as a liveness check makes it; milliseconds to the full answer, -1 if none. */
    static long probe(int port, String path) {
        long start = System.nanoTime();
        try (Socket s = new Socket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", port), PROBE_TIMEOUT_MS);
            s.setSoTimeout(PROBE_TIMEOUT_MS);
            s.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            if (!answer.startsWith("HTTP/1.1 200")) {
                return -1;
            }
            return (System.nanoTime() - start) / 1_000_000;
        } catch (IOException e) {
            return -1;
        }
    }

    static String outcome(Socket s) {
        try {
            s.setSoTimeout(200);
            InputStream in = s.getInputStream();
            byte[] b = new byte[12];
            int r = in.readNBytes(b, 0, 12);
            return r < 12 ? "closed without an answer" : new String(b, StandardCharsets.ISO_8859_1).substring(9, 12);
        } catch (java.net.SocketTimeoutException e) {
            return "still open";
        } catch (IOException e) {
            return "closed without an answer";
        }
    }
}
