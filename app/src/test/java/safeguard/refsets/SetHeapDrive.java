package safeguard.refsets;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.io.BufferedWriter;
import java.lang.management.ManagementFactory;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.ProxySettings;
import safeguard.TestHttp;
import safeguard.http.TlsTrust;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.QradarClient;
import safeguard.store.Store;

/**
 * The app with a reference set of {@link #SIZE} elements, in this JVM (started with the manifest's heap by
 * {@link SetHeapProcessTest}): four viewers page through it at once (first, middle and last pages, by cursor and by
 * Range), then an analyst adds a value and removes one. {@code local STORE}: the set is a file of the store;
 * {@code qradar STORE BASE PEM}: the set is in the console at BASE. Prints the heap after a full GC; exits 1 on a
 * wrong answer (and the manifest's -XX:+ExitOnOutOfMemoryError exits 3 on OOM).
 */
public final class SetHeapDrive {
    static final int SIZE = 200_000;
    static final String SET = "Confidential-Files";
    static final long T0 = System.nanoTime();
    static final int VIEWERS = 4;

    private SetHeapDrive() {
    }

    public static void main(String[] args) {
        try {
            drive(args);
        } catch (Exception | Error e) {
            System.out.println("failed: " + e);
            e.printStackTrace(System.out);
            Runtime.getRuntime().halt(2); // Jetty's threads (and shutdown hooks) would keep the JVM alive
        }
    }

    private static void drive(String[] args) throws Exception {
        Path storeDir = Path.of(args[1]);
        Javalin app;
        TestHttp http;
        if (args[0].equals("local")) {
            Path file = storeDir.resolve(LocalSets.DIR).resolve(SET + ".jsonl");
            Files.createDirectories(file.getParent());
            try (BufferedWriter w = Files.newBufferedWriter(file)) {
                for (int i = 0; i < SIZE; i++) {
                    w.write(Json.mapper().writeValueAsString(new Element(name(i), "bench", "2026-12-05T00:00:00Z",
                            "2026-12-05T00:00:00Z")));
                    w.write('\n');
                }
            }
            app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(storeDir), Clock.systemUTC()))
                    .start("127.0.0.1", 0);
            http = TestHttp.admin(app.port(), storeDir);
        } else {
            var trust = TlsTrust.systemPlus(List.of(Path.of(args[3])));
            QradarClient service = new QradarClient(args[2] + "/api", FakeConsole.TOKEN, trust, ProxySettings.NONE,
                    ConsoleExtension.noWait());
            QradarClient users = new QradarClient(args[2] + "/api", null, trust, ProxySettings.NONE, ConsoleExtension.noWait());
            Map<String, String> env = new HashMap<>();
            env.put("QRADAR_CONSOLE_FQDN", "console.qradar.test");
            app = App.create(AppConfig.fromEnv(env), new Deps(Store.open(storeDir), Clock.systemUTC(), service,
                    ConsoleExtension.noWait(), users)).start("127.0.0.1", 0);
            http = new TestHttp(app.port()).with("SEC", "sec-alice");
        }
        String path = "/api/reference-sets/" + SET;
        System.out.println("started " + args[0] + " at " + (System.nanoTime() - T0) / 1_000_000 + " ms");
        long tFirst = System.nanoTime();
        check(http.get(path + "?limit=1000&cursor=150000"), 150_000, 1000);
        long firstMs = (System.nanoTime() - tFirst) / 1_000_000;
        long t0 = System.nanoTime();
        ExecutorService viewers = Executors.newFixedThreadPool(VIEWERS);
        List<Future<String>> answers = new ArrayList<>();
        for (int v = 0; v < VIEWERS; v++) {
            int viewer = v;
            answers.add(viewers.submit(() -> {
                check(http.get(path + "?limit=1000"), 0, 1000);
                System.out.println("viewer " + viewer + " first page at " + (System.nanoTime() - T0) / 1_000_000 + " ms");
                check(http.get(path + "?limit=1000&cursor=" + (SIZE - 1000)), SIZE - 1000, 1000);
                check(http.with("Range", "items=100000-100999").get(path), 100_000, 1000);
                check(http.with("Range", "items=0-" + (SIZE - 1)).get(path), 0, 1000); // asked for all: one page
                System.out.println("viewer " + viewer + " ok");
                return "viewer " + viewer + " ok";
            }));
        }
        for (Future<String> f : answers) {
            f.get();
        }
        viewers.shutdown();
        long pagesMs = (System.nanoTime() - t0) / 1_000_000;
        long t1 = System.nanoTime();
        var add = http.send("POST", path + "/elements", "{\"values\":[\"zz-new-value.csv\"]}");
        expect(add.statusCode() == 200, "add: " + add.body());
        JsonNode added = Json.mapper().readTree(add.body());
        expect(added.get("added").asInt() == 1 && added.get("count").asLong() == SIZE + 1, "add: " + add.body());
        long addMs = (System.nanoTime() - t1) / 1_000_000;
        long t2 = System.nanoTime();
        var remove = http.send("DELETE", path + "/elements/" + URLEncoder.encode(name(5), StandardCharsets.UTF_8), null);
        expect(remove.statusCode() == 204, "remove: " + remove.statusCode() + " " + remove.body());
        long removeMs = (System.nanoTime() - t2) / 1_000_000;
        long t3 = System.nanoTime();
        check(http.get(path + "?limit=1000&cursor=100000"), 100_000, 1000, name(100_001)); // one before it is gone
        long oneMs = (System.nanoTime() - t3) / 1_000_000;
        app.stop();
        System.gc();
        long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed() / (1024 * 1024);
        System.out.println("done mode=" + args[0] + " elements=" + SIZE + " viewers=" + VIEWERS + " pages=" + (4 * VIEWERS) + " pagesMs=" + pagesMs + " firstPageMs=" + firstMs
                + " onePageMs=" + oneMs + " addMs=" + addMs + " removeMs=" + removeMs + " heapMb=" + heap);
        System.exit(0);
    }

    static String name(int i) {
        return String.format("file-%06d.csv", i);
    }

    private static void check(java.net.http.HttpResponse<String> r, long offset, int size) throws Exception {
        check(r, offset, size, name((int) offset));
    }

    private static void check(java.net.http.HttpResponse<String> r, long offset, int size, String first) throws Exception {
        expect(r.statusCode() == 200, "page: " + r.statusCode() + " " + r.body());
        JsonNode page = Json.mapper().readTree(r.body());
        expect(page.get("count").asLong() == SIZE || page.get("count").asLong() == SIZE + 1, "count " + page.get("count"));
        expect(page.get("offset").asLong() == offset && page.get("elements").size() == size,
                "page at " + offset + ": " + page.get("offset") + " / " + page.get("elements").size());
        expect(page.get("elements").get(0).get("value").asText().equals(first),
                "first of page " + offset + " is " + page.get("elements").get(0).get("value"));
    }

    private static void expect(boolean ok, String what) {
        if (!ok) {
            System.out.println("wrong answer: " + what);
            System.exit(1);
        }
    }
}
