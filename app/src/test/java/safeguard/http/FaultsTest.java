package safeguard.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.ConnectException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import java.util.Optional;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/** Each fault is named and judged in one place; the chains are the ones Java's HTTP client throws. */
class FaultsTest {
    static final String PIN = "66:02:81:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66:77:88:99:AA:BB:CC:DD:EE:FF:00:11:22:33:44:55:66";

    private static Throwable chain(Throwable root, Throwable wrapper) {
        wrapper.initCause(root);
        return new RuntimeException("unirest", wrapper);
    }

    @Test
    void an_unresolvable_host_says_so_and_is_not_mistaken_for_a_refused_connection() {
        Fault f = Faults.classify(chain(new UnresolvedAddressException(), new ConnectException()), Optional.empty(), "scale.example");
        assertEquals(Fault.Kind.DNS, f.kind());
        assertEquals("the host scale.example does not resolve (DNS); check the host name", f.message());
        assertFalse(f.retryable());
        assertFalse(f.mayHaveArrived());
    }

    @Test
    void a_refused_connection_says_so_and_never_reached_the_system() {
        Fault f = Faults.classify(new RuntimeException(new ConnectException("Connection refused")), Optional.empty(), "h");
        assertEquals("connection refused", f.message());
        assertTrue(f.retryable());
        assertFalse(f.mayHaveArrived());
    }

    @Test
    void a_timeout_is_retried_but_may_have_been_acted_on() {
        Fault f = Faults.classify(new RuntimeException(new HttpTimeoutException("request timed out")), Optional.empty(), "h");
        assertEquals("timed out", f.message());
        assertTrue(f.retryable());
        assertTrue(f.mayHaveArrived());
    }

    @Test
    void an_untrusted_certificate_is_not_retried_and_names_the_fingerprint_to_pin() {
        Throwable e = chain(new CertificateException("PKIX path building failed"), new SSLHandshakeException("PKIX path building failed"));
        Fault f = Faults.classify(e, Optional.of(PIN), "h");
        assertEquals("the certificate is not trusted; pin fingerprint SHA-256 " + PIN + " or upload the CA", f.message());
        assertFalse(f.retryable());
    }

    @Test
    void credentials_refused_are_named_for_every_system_in_the_same_words() {
        assertEquals("Scale refused the credentials of user 'snapadmin' (HTTP 401): check the user name and password",
                Faults.ofStatus(401, "Scale", "snapadmin").orElseThrow().message());
        assertEquals("CDM refused user 'u' (HTTP 403): the user's role may not do this",
                Faults.ofStatus(403, "CDM", "u").orElseThrow().message());
        assertTrue(Faults.ofStatus(503, "CSM", "u").orElseThrow().retryable());
        assertTrue(Faults.ofStatus(404, "CSM", "u").isEmpty());
    }

    @Test
    void a_fingerprint_is_normalised_to_one_format_from_either() {
        String plain = PIN.replace(":", "").toLowerCase(java.util.Locale.ROOT);
        assertEquals(PIN, PeerTrust.normalise(plain));
        assertEquals(PIN, PeerTrust.normalise(PIN.toLowerCase(java.util.Locale.ROOT)));
        assertEquals("abc", PeerTrust.normalise("abc"), "not a fingerprint: left for the validator to refuse");
    }
}
