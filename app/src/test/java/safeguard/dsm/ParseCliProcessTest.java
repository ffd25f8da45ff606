package safeguard.dsm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.File;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.Json;

/**
 * The parse command in its own JVM under {@code LANG=C}: the locale's charset only shows in a real process (its
 * stdout encoding, the decoding of its command line), never in a test calling ParseCli directly.
 */
class ParseCliProcessTest {
    private static final String LOG = "résumé-audit.log";

    @TempDir
    Path tmp;

    private record Run(int status, byte[] stdout, byte[] stderr) {
    }

    /**
     * Runs {@code java … safeguard.Main parse ARGS} in {@link #tmp}. The arguments go through the shell as printf
     * octal escapes: the bytes the child sees are then UTF-8 even when this test JVM's own locale is not.
     */
    private Run parse(File stdin, String... args) throws Exception {
        StringBuilder script = new StringBuilder("exec \"$0\" -cp \"$1\" safeguard.Main parse");
        for (String a : args) {
            script.append(" \"$(printf '");
            for (byte b : a.getBytes(StandardCharsets.UTF_8)) {
                script.append('\\').append(Integer.toOctalString(b & 0xff));
            }
            script.append("')\"");
        }
        ProcessBuilder pb = new ProcessBuilder("/bin/sh", "-c", script.toString(),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                System.getProperty("java.class.path"));
        pb.environment().clear();
        pb.environment().put("LANG", "C");
        pb.environment().put("LC_ALL", "C");
        pb.directory(tmp.toFile());
        File out = tmp.resolve("stdout").toFile();
        File err = tmp.resolve("stderr").toFile();
        pb.redirectOutput(out).redirectError(err);
        if (stdin != null) {
            pb.redirectInput(stdin);
        }
        Process p = pb.start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        return new Run(p.exitValue(), Files.readAllBytes(out.toPath()), Files.readAllBytes(err.toPath()));
    }

    /** Made from the name's UTF-8 bytes, so it exists with that name whatever this JVM's file-name charset. */
    private Path auditLog() throws Exception {
        Path log = Path.of(URI.create(tmp.toUri() + "r%C3%A9sum%C3%A9-audit.log"));
        Files.write(log, String.join("\n", DsmParserTest.resource("special-names.log")).getBytes(StandardCharsets.UTF_8));
        return log;
    }

    private static String strictUtf8(byte[] bytes) throws CharacterCodingException {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    }

    private static int count(byte[] haystack, byte[] needle) {
        int n = 0;
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            int j = 0;
            while (j < needle.length && haystack[i + j] == needle[j]) {
                j++;
            }
            n += j == needle.length ? 1 : 0;
        }
        return n;
    }

    private static void assertSpecialNames(byte[] stdout) throws Exception {
        String text = strictUtf8(stdout);
        assertEquals(2, count(stdout, "\"File path\":\"/gpfs/fs1/HR/résumé.docx\"".getBytes(StandardCharsets.UTF_8)),
                text);
        assertEquals(1, count(stdout, "\"Filename\":\"résumé.docx\"".getBytes(StandardCharsets.UTF_8)), text);
        List<JsonNode> lines = new ArrayList<>();
        for (String l : text.lines().toList()) {
            lines.add(Json.mapper().readTree(l));
        }
        assertEquals(3, lines.size(), text);
        assertEquals("/gpfs/fs1/HR/résumé.docx", lines.get(0).at("/properties/File path").asText());
        assertEquals("résumé.docx", lines.get(0).at("/properties/Filename").asText());
        assertEquals("/gpfs/fs1/HR/résumé.docx", lines.get(1).at("/properties/File path").asText());
        assertEquals("r\\u00e9sum\\u00e9.docx", lines.get(1).at("/properties/Filename").asText(),
                "the Filename regex reads the raw payload: the record's escapes stay");
        assertEquals("/gpfs/fs1/Finance/budget \"final\".csv", lines.get(2).at("/properties/File path").asText());
        assertEquals("budget \\\"final\\\".csv", lines.get(2).at("/properties/Filename").asText());
    }

    @Test
    void under_lang_c_a_non_ascii_file_name_opens_and_the_output_is_utf_8_with_json_values_decoded()
            throws Exception {
        auditLog();
        Run run = parse(null, LOG);
        assertEquals("", strictUtf8(run.stderr()));
        assertEquals(0, run.status());
        assertSpecialNames(run.stdout());
    }

    @Test
    void under_lang_c_standard_input_gives_the_same_utf_8_output() throws Exception {
        // an ASCII name: a File cannot hold the bytes of a non-ASCII one when this JVM runs under LANG=C itself
        Path stdin = Files.copy(auditLog(), tmp.resolve("stdin.log"));
        Run run = parse(stdin.toFile(), "-");
        assertEquals(0, run.status(), strictUtf8(run.stderr()));
        assertSpecialNames(run.stdout());
    }

    @Test
    void under_lang_c_a_missing_non_ascii_file_is_one_utf_8_line_and_status_2() throws Exception {
        Run run = parse(null, "résumé-missing.log");
        assertEquals(2, run.status());
        assertArrayEquals("parse: cannot read résumé-missing.log: no such file\n".getBytes(StandardCharsets.UTF_8),
                run.stderr(), strictUtf8(run.stderr()));
        assertEquals(0, run.stdout().length);
    }
}
