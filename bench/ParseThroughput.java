import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import safeguard.dsm.CustomProperty;
import safeguard.dsm.Dsm;
import safeguard.dsm.DsmParser;

/**
 * Single-thread throughput of property extraction, our DSM's expressions against the seed blog's, on one corpus,
 * in one run; plus how often each set is wrong against a JSON parser. Run by bench/parse-throughput.sh.
 */
public final class ParseThroughput {
    record Expr(String name, Pattern pattern, int group) {
        String apply(String s) {
            Matcher m = pattern.matcher(s);
            return m.find() ? m.group(group) : null;
        }
    }

    static final List<Expr> SEED = List.of(
            new Expr("Event ID", Pattern.compile("event\":\\s\"([^\"]+)"), 1),
            new Expr("Filename", Pattern.compile("\"path\":\\s\"(.*)\\/(.*\\.csv)\""), 2),
            new Expr("File path", Pattern.compile("\"path\":\\s\"(.*?)\""), 1),
            new Expr("clientGroupID", Pattern.compile("\\s\"clientGroupId\":\\s\"(.*?)\""), 1),
            new Expr("clientUserID", Pattern.compile("\\s\"clientUserId\":\\s\"(.*?)\""), 1));

    public static void main(String[] args) throws Exception {
        Dsm dsm = Dsm.load(Path.of(args[0]));
        List<String> corpus = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            for (String line : Files.readAllLines(Path.of(args[i]), StandardCharsets.UTF_8)) {
                int b = line.indexOf('{');
                // only complete audit records: the corpus both sets are meant for
                if (b >= 0 && line.contains("\"LWE_JSON\"") && line.endsWith("}")) {
                    corpus.add(line.substring(b));
                }
            }
        }
        List<Expr> ours = new ArrayList<>();
        List<Expr> oursAll = new ArrayList<>();
        ours.add(new Expr("Event ID", Pattern.compile(dsm.eventIdRegex()), 1));
        oursAll.add(ours.get(0));
        for (CustomProperty p : dsm.customProperties()) {
            if (p.isJson()) {
                continue; // a JSON key path is no regex: measured below, in the parser's one JSON pass
            }
            Expr e = new Expr(p.name(), Pattern.compile(p.regex()), p.captureGroup());
            oursAll.add(e);
            if (List.of("Filename", "File path", "clientUserID", "clientGroupID").contains(p.name())) {
                ours.add(e);
            }
        }

        System.out.printf("corpus: %d audit records (%d bytes avg)%n", corpus.size(),
                corpus.stream().mapToInt(String::length).sum() / corpus.size());
        System.out.printf("wrong values vs a JSON parser: seed %d of %d, ours %d of %d%n",
                wrong(SEED, corpus), corpus.size() * SEED.size(), wrong(ours, corpus), corpus.size() * ours.size());

        for (int round = 0; round < 2; round++) { // round 0 warms up the JIT
            double seed = eventsPerSecond(SEED, corpus);
            double our = eventsPerSecond(ours, corpus);
            double all = eventsPerSecond(oursAll, corpus);
            double parser = parserEventsPerSecond(new DsmParser(dsm), corpus);
            if (round == 1) {
                System.out.printf("seed's Event ID + 4 properties: %,.0f events/s%n", seed);
                System.out.printf("our  Event ID + 4 properties:   %,.0f events/s (%.2fx)%n", our, our / seed);
                System.out.printf("our  Event ID + %d regex properties: %,.0f events/s%n", oursAll.size() - 1, all);
                System.out.printf("DsmParser.parse, all %d properties: %,.0f events/s%n",
                        dsm.customProperties().size(), parser);
            }
        }
    }

    static double eventsPerSecond(List<Expr> exprs, List<String> corpus) {
        long events = 0;
        long sink = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : corpus) {
                for (Expr e : exprs) {
                    String v = e.apply(line);
                    sink += v == null ? 0 : v.length();
                }
            }
            events += corpus.size();
        }
        double s = (System.nanoTime() - t0) / 1e9;
        if (sink == 42) {
            System.out.print(""); // keeps the JIT from dropping the work
        }
        return events / s;
    }

    static double parserEventsPerSecond(DsmParser parser, List<String> corpus) {
        long events = 0;
        long sink = 0;
        long t0 = System.nanoTime();
        long deadline = t0 + 5_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (String line : corpus) {
                sink += parser.parse(line).hashCode();
            }
            events += corpus.size();
        }
        if (sink == 42) {
            System.out.print("");
        }
        return events / ((System.nanoTime() - t0) / 1e9);
    }

    /** Values that differ from what a JSON parser reads (the oracle) for the seed's five names. */
    static int wrong(List<Expr> exprs, List<String> corpus) throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        int wrong = 0;
        for (String line : corpus) {
            JsonNode r = mapper.readTree(line);
            String path = r.path("path").asText();
            Map<String, String> truth = new java.util.HashMap<>();
            truth.put("Event ID", r.path("event").asText());
            truth.put("Filename", path.substring(path.lastIndexOf('/') + 1));
            truth.put("File path", path);
            truth.put("clientUserID", r.hasNonNull("clientUserId") ? r.get("clientUserId").asText() : null);
            truth.put("clientGroupID", r.hasNonNull("clientGroupId") ? r.get("clientGroupId").asText() : null);
            for (Expr e : exprs) {
                String expected = truth.get(e.name());
                String got = e.apply(line);
                if (got != null) {
                    try {
                        got = mapper.readValue("\"" + got + "\"", String.class); // undo JSON escaping to compare
                    } catch (com.fasterxml.jackson.core.JacksonException cut) {
                        got = "<cut inside an escape: " + got + ">";
                    }
                }
                if (!java.util.Objects.equals(expected, got)) {
                    wrong++;
                }
            }
        }
        return wrong;
    }
}
