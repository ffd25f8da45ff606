package safeguard.targets;

/** A target as an admin sends it (POST/PUT /api/targets); the password is write-only and may be left out on PUT. */
public record TargetInput(
        String kind,
        String name,
        String host,
        Integer port,
        String username,
        String password,
        Tls tls,
        Integer connectTimeoutSeconds,
        Integer requestTimeoutSeconds,
        ScaleSettings scale,
        CsmSettings csm,
        CdmSettings cdm,
        Boolean dryRun,
        Integer confirmSeconds) {

    /** Without a confirmation bound (the default applies). */
    public TargetInput(String kind, String name, String host, Integer port, String username, String password, Tls tls,
                       Integer connectTimeoutSeconds, Integer requestTimeoutSeconds, ScaleSettings scale, CsmSettings csm,
                       CdmSettings cdm, Boolean dryRun) {
        this(kind, name, host, port, username, password, tls, connectTimeoutSeconds, requestTimeoutSeconds, scale, csm,
                cdm, dryRun, null);
    }

    /** Never the password. */
    @Override
    public String toString() {
        return "TargetInput[" + kind + " " + name + "]";
    }
}
