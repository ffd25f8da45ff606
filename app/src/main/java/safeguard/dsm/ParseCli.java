package safeguard.dsm;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import safeguard.InvalidInputException;
import safeguard.Json;

/**
 * {@code java -jar app.jar parse [--dsm FILE] [FILE|-]}: one JSON object per input line, as QRadar would parse
 * it. Admins run it on their own audit logs (raw JSON lines or syslog) to check a DSM change before deploying.
 *
 * <p>Input is read and output written as UTF-8 whatever the locale: under {@code LANG=C} Java's default charset is
 * ASCII and would print {@code é} as {@code ?}. File names with non-ASCII characters open under {@code LANG=C} too
 * (see {@link CommandLine}); where the command line cannot be read back (not Linux), such a name is refused in one
 * line and {@code parse - < FILE} reads the file through the shell instead.
 */
public final class ParseCli {
    static final String USAGE = "usage: parse [--dsm DSM.json] [FILE|-]";

    private ParseCli() {
    }

    /** Main's entry: the process's own stdin, stdout and stderr, and its command line as the kernel holds it. */
    public static int runOnStdio(List<String> args) {
        PrintStream out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), 1 << 16),
                false, StandardCharsets.UTF_8);
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        try {
            return run(args, CommandLine.ofThisProcess(args), System.in, out, err);
        } finally {
            out.flush();
            err.flush();
        }
    }

    /** Exit status: 0 when the input was readable (bad lines are reported in the output), 2 otherwise. */
    public static int run(List<String> args, InputStream stdin, PrintStream out, PrintStream err) {
        return run(args, CommandLine.of(args), stdin, out, err);
    }

    static int run(List<String> args, CommandLine cmd, InputStream stdin, PrintStream out, PrintStream err) {
        int dsmArg = -1;
        int inputArg = -1;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--dsm") && i + 1 < args.size() && dsmArg < 0) {
                dsmArg = ++i;
            } else if ((a.startsWith("-") && !a.equals("-")) || inputArg >= 0) {
                err.println(USAGE);
                return 2;
            } else {
                inputArg = i;
            }
        }
        DsmParser parser;
        if (dsmArg < 0) {
            parser = new DsmParser(Dsm.bundled());
        } else {
            try (InputStream in = Files.newInputStream(cmd.path(dsmArg))) {
                parser = new DsmParser(Dsm.load(in));
            } catch (InvalidInputException e) {
                err.println("parse: " + e.getMessage());
                return 2;
            } catch (IOException | InvalidPathException e) {
                err.println("parse: cannot read DSM " + cmd.display(dsmArg) + ": " + reason(e));
                return 2;
            }
        }
        boolean fromStdin = inputArg < 0 || args.get(inputArg).equals("-");
        InputStream input;
        try {
            input = fromStdin ? stdin : Files.newInputStream(cmd.path(inputArg));
        } catch (IOException | InvalidPathException e) {
            err.println("parse: cannot read " + cmd.display(inputArg) + ": " + reason(e));
            return 2;
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(input, StandardCharsets.UTF_8))) {
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
            err.println("parse: cannot read " + (fromStdin ? "standard input" : cmd.display(inputArg)) + ": "
                    + reason(e));
            return 2;
        }
    }

    /** One line for the admin: what went wrong, not the exception's class or the path Java made of the name. */
    private static String reason(Exception e) {
        if (e instanceof NoSuchFileException) {
            return "no such file";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof InvalidPathException) {
            return "the name cannot be a file name in this locale's charset; run under a UTF-8 locale or give the "
                    + "file on standard input: parse - < FILE";
        }
        if (e instanceof JsonProcessingException j) {
            return j.getOriginalMessage();
        }
        return String.valueOf(e.getMessage()).lines().findFirst().orElse("");
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
