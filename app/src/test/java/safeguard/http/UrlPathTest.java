package safeguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class UrlPathTest {
    @Test
    void a_segment_encodes_everything_that_could_change_the_path_or_query() {
        assertEquals("q4%20plan%2F2024%3F%23%25.xlsx", UrlPath.segment("q4 plan/2024?#%.xlsx"));
        assertEquals("..%2Fetc", UrlPath.segment("../etc"), "the slash is encoded: dots inside a name are harmless");
        assertEquals("a%2Ab", UrlPath.segment("a*b"));
        assertEquals("%C3%A9t%C3%A9", UrlPath.segment("été"));
    }

    @Test
    void a_dot_segment_or_nothing_is_never_a_segment() {
        for (String s : new String[] {".", "..", ""}) {
            assertThrows(IllegalArgumentException.class, () -> UrlPath.segment(s), "'" + s + "'");
        }
    }
}
