package safeguard.refsets;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import safeguard.Json;
import safeguard.dsm.ReferenceSet;
import safeguard.store.Store;

/**
 * Outside QRadar each set is a file in store/reference-sets/, one element a line, kept sorted (numbers as numbers),
 * seeded from reference-sets/ on first use, so the page works (and a rule author can prepare the lists) before the
 * app meets a console. Files are streamed, never held: a page reads up to its last line, an add merges the sorted
 * new values into a copy that replaces the file atomically, a removal copies all other lines.
 */
final class LocalSets implements SetBackend {
    static final String DIR = "reference-sets";
    /** The single file of earlier versions (every set in one JSON object): moved into the per-set files once. */
    static final String LEGACY_FILE = "reference-sets.json";

    private static final ObjectReader READ = Json.mapper().readerFor(Element.class);
    private static final ObjectWriter WRITE = Json.mapper().writerFor(Element.class);

    private final Store store;
    private final Clock clock;

    LocalSets(Store store, Clock clock, List<ReferenceSet> seed) {
        this.store = store;
        this.clock = clock;
        seed(seed);
    }

    @Override
    public String where() {
        return "local";
    }

    /** The file of set {@code name}. */
    Path file(String name) {
        return store.dir().resolve(DIR).resolve(URLEncoder.encode(name, StandardCharsets.UTF_8) + ".jsonl");
    }

    @Override
    public synchronized Slice slice(String name, String elementType, long offset, int limit) {
        List<Element> out = new ArrayList<>();
        long total = 0;
        try (BufferedReader r = reader(name)) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                if (total >= offset && out.size() < limit) {
                    out.add(READ.readValue(line));
                }
                total++;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the reference set " + name, e);
        }
        return new Slice(out, total);
    }

    @Override
    public synchronized Added add(String name, String elementType, List<String> values, String source) {
        Comparator<Element> order = ReferenceSetService.order(elementType);
        String now = clock.instant().toString();
        List<Element> fresh = new ArrayList<>(values.stream().map(v -> new Element(v, source, now, now)).toList());
        fresh.sort(order);
        int[] added = {0};
        long[] total = {0};
        replace(name, w -> {
            try (BufferedReader r = reader(name)) {
                String line = r.readLine();
                Element old = line == null ? null : READ.readValue(line);
                String last = null;
                int i = 0;
                while (old != null || i < fresh.size()) {
                    Element n = i < fresh.size() ? fresh.get(i) : null;
                    boolean takeOld = n == null || (old != null && order.compare(old, n) <= 0);
                    if (takeOld) {
                        write(w, old);
                        last = ReferenceSetService.canonical(elementType, old.value());
                        total[0]++;
                        line = r.readLine();
                        old = line == null ? null : READ.readValue(line);
                        continue;
                    }
                    i++;
                    String c = ReferenceSetService.canonical(elementType, n.value());
                    if (c.equals(last) || (old != null && c.equals(ReferenceSetService.canonical(elementType, old.value())))) {
                        continue; // already in the set (2001 and 2001.0 are one number; ALNIC ignores case)
                    }
                    write(w, n);
                    last = c;
                    added[0]++;
                    total[0]++;
                }
            }
        });
        return new Added(added[0], total[0]);
    }

    @Override
    public synchronized boolean remove(String name, String value) {
        boolean[] found = {false};
        replace(name, w -> {
            try (BufferedReader r = reader(name)) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                    Element e = READ.readValue(line);
                    if (e.value().equals(value)) {
                        found[0] = true;
                    } else {
                        w.write(line);
                        w.write('\n');
                    }
                }
            }
        });
        return found[0];
    }

    private interface Lines {
        void write(BufferedWriter w) throws IOException;
    }

    private BufferedReader reader(String name) throws IOException {
        Path f = file(name);
        return Files.exists(f) ? Files.newBufferedReader(f, StandardCharsets.UTF_8) : new BufferedReader(java.io.Reader.nullReader());
    }

    private static void write(BufferedWriter w, Element e) throws IOException {
        w.write(WRITE.writeValueAsString(e));
        w.write('\n');
    }

    /** The new content beside the file, synced, then renamed over it: a crash leaves the old file or the new one. */
    private void replace(String name, Lines lines) {
        Path target = file(name);
        try {
            if (!Files.isDirectory(target.getParent())) {
                safeguard.store.Permissions.ownerOnlyFolder(target.getParent());
            }
            Path tmp = Files.createTempFile(target.getParent(), ".set-", ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    OutputStream out = Channels.newOutputStream(ch);
                    BufferedWriter w = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 64 * 1024);
                    lines.write(w);
                    w.flush();
                    ch.force(true);
                }
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the reference set " + name, e);
        }
    }

    /** Sets without a file yet take their elements from the earlier single file, else from reference-sets/. */
    private void seed(List<ReferenceSet> seed) {
        Map<String, List<Element>> legacy = legacy();
        String now = clock.instant().toString();
        for (ReferenceSet s : seed) {
            if (Files.exists(file(s.name()))) {
                continue;
            }
            List<Element> elements = new ArrayList<>(legacy.containsKey(s.name()) ? legacy.get(s.name())
                    : s.elements().stream().map(v -> new Element(v, "reference-sets.json", now, now)).toList());
            elements.sort(ReferenceSetService.order(s.elementType()));
            replace(s.name(), w -> {
                for (Element e : elements) {
                    write(w, e);
                }
            });
        }
        try {
            Path old = store.dir().resolve(LEGACY_FILE);
            if (Files.exists(old)) {
                Files.move(old, store.dir().resolve(LEGACY_FILE + ".moved"), StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot retire " + LEGACY_FILE, e);
        }
    }

    private Map<String, List<Element>> legacy() {
        Map<String, List<Element>> out = new HashMap<>();
        Path old = store.dir().resolve(LEGACY_FILE);
        if (!Files.exists(old)) {
            return out;
        }
        try (JsonParser p = Json.mapper().createParser(old.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return out;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                List<Element> list = new ArrayList<>();
                while (p.nextToken() == JsonToken.START_OBJECT) {
                    list.add(p.readValueAs(Element.class));
                }
                out.put(name, list);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + LEGACY_FILE, e);
        }
        return out;
    }
}
