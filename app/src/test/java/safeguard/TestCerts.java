package safeguard;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A self-signed server certificate for localhost, made with the JDK's keytool: what a storage system or a lab
 * QRadar console presents. {@code keystore} is for WireMock's HTTPS port, {@code pem} is what an admin uploads.
 */
public record TestCerts(Path keystore, String password, Path pem) {

    private static TestCerts shared;

    /** One localhost certificate for the whole test run: keytool takes about a second each time. */
    public static synchronized TestCerts localhost() {
        if (shared == null) {
            try {
                Path dir = java.nio.file.Files.createTempDirectory("safeguard-test-certs");
                dir.toFile().deleteOnExit();
                shared = selfSigned(dir, "localhost");
                shared.keystore().toFile().deleteOnExit();
                shared.pem().toFile().deleteOnExit();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    public static TestCerts selfSigned(Path dir, String alias) {
        Path ks = dir.resolve(alias + ".p12");
        Path pem = dir.resolve(alias + ".pem");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        run(List.of(keytool, "-genkeypair", "-alias", alias, "-keyalg", "EC", "-groupname", "secp256r1",
                "-dname", "CN=localhost, O=Safeguard Test", "-ext", "SAN=dns:localhost,ip:127.0.0.1",
                "-validity", "2", "-storetype", "PKCS12", "-keystore", ks.toString(),
                "-storepass", "changeit", "-keypass", "changeit"));
        run(List.of(keytool, "-exportcert", "-rfc", "-alias", alias, "-keystore", ks.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        return new TestCerts(ks, "changeit", pem);
    }

    private static void run(List<String> command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("keytool failed: " + out);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    public String pemText() {
        try {
            return Files.readString(pem);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
