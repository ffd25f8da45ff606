package safeguard.refsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import safeguard.dsm.Dsm;
import safeguard.dsm.DsmParser;
import safeguard.dsm.ParseResult;
import safeguard.dsm.RecordSpelling;
import safeguard.dsm.ReferenceSets;
import safeguard.qradar.ConsoleExtension;
import safeguard.store.Store;

/**
 * The rule's test "Filename is in Confidential-Files" holds for awkward names whichever way Scale spells them:
 * what the provisioned regex gives (the parse engine mirrors it) is an element QRadar holds after an analyst adds
 * the name once, as typed.
 */
class FilenameMatchesConfidentialFilesTest {
    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();

    @TempDir
    Path tmp;

    @Test
    void a_name_added_once_matches_every_spelling_a_record_may_carry() throws Exception {
        console.fake().adminCreatesReferenceSet("Confidential-Files", "ALN");
        ReferenceSetService sets = ReferenceSetService.of(ReferenceSets.bundled(), true, console.service(),
                Store.open(tmp.resolve("store")), Clock.systemUTC());
        sets.add("Confidential-Files", List.of("résumé.docx", "budget \"final\".csv"), "analyst");

        List<String> inQradar = console.fake().setValues("Confidential-Files");
        DsmParser parser = new DsmParser(Dsm.bundled());
        String log;
        try (InputStream in = getClass().getResourceAsStream("/scale-audit/special-names.log")) {
            log = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int checked = 0;
        for (String line : log.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            ParseResult.Parsed p = (ParseResult.Parsed) parser.parse(line);
            String filename = p.properties().get("Filename");
            assertTrue(inQradar.contains(filename), filename + " is not in " + inQradar);
            checked++;
        }
        assertEquals(3, checked, "raw UTF-8, \\u escapes and an escaped quote");
        assertEquals(List.of("budget \"final\".csv", "résumé.docx"),
                sets.page("Confidential-Files", 0, 100).elements().stream().map(Element::value).toList(), "shown once, as typed");

        sets.remove("Confidential-Files", "résumé.docx");
        assertTrue(console.fake().setValues("Confidential-Files").stream()
                .noneMatch(v -> RecordSpelling.name(v).equals("résumé.docx")), "every spelling goes");
    }

    @Test
    void spellings_are_the_plain_json_one_and_the_ascii_escaped_one() {
        assertEquals(List.of("a.csv"), RecordSpelling.of("a.csv"));
        assertEquals(List.of("budget \\\"final\\\".csv"), RecordSpelling.of("budget \"final\".csv"));
        assertEquals(List.of("résumé.docx", "r\\u00e9sum\\u00e9.docx"), RecordSpelling.of("résumé.docx"));
        assertEquals("budget \"final\".csv", RecordSpelling.name("budget \\\"final\\\".csv"));
        assertEquals("odd\\q", RecordSpelling.name("odd\\q"), "not JSON string content: taken as it is");
    }
}
