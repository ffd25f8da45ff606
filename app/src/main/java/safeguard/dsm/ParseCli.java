package safeguard.dsm;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import safeguard.InvalidInputException;
import safeguard.Json;

/**
 * {@code java -jar app.jar parse [--dsm FILE] [FILE|-]}: one JSON object per input line, as QRadar would parse
 * it. Admins run it on their own audit logs (raw JSON lines or syslog) to check a DSM change before deploying.
 */
public final class ParseCli {
    static final String USAGE = "usage: parse [--dsm DSM.json] [FILE|-]";

    private ParseCli() {
    }

    /** Exit status: 0 when the input was readable (bad lines are reported in the output), 2 otherwise. */
    public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        Path dsmFile = null;
        String input = "-";
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--dsm") && i + 1 < args.size()) {
                dsmFile = Path.of(args.get(++i));
            } else if (a.startsWith("-") && !a.equals("-")) {
                err.println(USAGE);
                return 2;
            } else {
                input = a;
            }
        }
        DsmParser parser;
        try {
            parser = new DsmParser(dsmFile == null ? Dsm.bundled() : Dsm.load(dsmFile));
        } catch (InvalidInputException e) {
            err.println("parse: " + e.getMessage());
            return 2;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(
                input.equals("-") ? stdin : Files.newInputStream(Path.of(input)), StandardCharsets.UTF_8))) {
            ObjectMapper mapper = Json.mapper();
            String line;
            long n = 0;
            while ((line = reader.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                out.println(mapper.writeValueAsString(render(n, parser.parse(line))));
            }
            out.flush();
            return 0;
        } catch (IOException e) {
            err.println("parse: cannot read " + input + ": " + e.getMessage());
            return 2;
        }
    }

    static ObjectNode render(long line, ParseResult result) {
        ObjectNode o = Json.mapper().createObjectNode();
        o.put("line", line);
        if (result instanceof ParseResult.Rejected r) {
            o.put("error", r.reason());
            return o;
        }
        ParseResult.Parsed p = (ParseResult.Parsed) result;
        o.put("logSourceIdentifier", p.logSourceIdentifier());
        o.put("eventId", p.eventId());
        o.put("eventCategory", p.eventCategory());
        ObjectNode qid = o.putObject("qid");
        qid.put("name", p.qid().name());
        qid.put("lowLevelCategory", p.qid().lowLevelCategory());
        qid.put("lowLevelCategoryId", p.qid().lowLevelCategoryId());
        qid.put("severity", p.qid().severity());
        ObjectNode props = o.putObject("properties");
        p.properties().forEach(props::put);
        return o;
    }
}
