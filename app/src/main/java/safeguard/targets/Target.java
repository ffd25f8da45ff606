package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * A storage system the app acts on, as stored: the password only ever as AES-GCM ciphertext.
 * Exactly one of {@code scale}, {@code csm}, {@code cdm} is set, matching {@code kind}. A dry-run target is
 * never called by actions: they journal what they would have done. {@code confirmSeconds} bounds how long an
 * action waits to confirm its copy (the target's queue waits no longer); targets stored before it existed get
 * the default.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Target(
        String kind,
        String name,
        String host,
        int port,
        String username,
        String sealedPassword,
        Tls tls,
        int connectTimeoutSeconds,
        int requestTimeoutSeconds,
        ScaleSettings scale,
        CsmSettings csm,
        CdmSettings cdm,
        boolean dryRun,
        Integer confirmSeconds) {

    public static final String SCALE = "scale";
    public static final String CSM = "csm";
    public static final String CDM = "cdm";
    public static final int DEFAULT_CONFIRM_SECONDS = 60;

    public Target {
        confirmSeconds = confirmSeconds == null ? DEFAULT_CONFIRM_SECONDS : confirmSeconds;
    }

    /** With the default confirmation bound. */
    public Target(String kind, String name, String host, int port, String username, String sealedPassword, Tls tls,
                  int connectTimeoutSeconds, int requestTimeoutSeconds, ScaleSettings scale, CsmSettings csm,
                  CdmSettings cdm, boolean dryRun) {
        this(kind, name, host, port, username, sealedPassword, tls, connectTimeoutSeconds, requestTimeoutSeconds, scale,
                csm, cdm, dryRun, null);
    }

    public String baseUrl() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return "https://" + h + ":" + port;
    }

    /** Never the password, sealed or not. */
    @Override
    public String toString() {
        return "Target[" + kind + " " + name + " " + host + ":" + port + "]";
    }
}
