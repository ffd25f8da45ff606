package safeguard.targets;

import com.fasterxml.jackson.annotation.JsonInclude;

/** A target as the API shows it: the password is only ever "set" or not. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TargetView(
        String kind,
        String name,
        String host,
        int port,
        String username,
        boolean passwordSet,
        Tls tls,
        boolean insecure,
        int connectTimeoutSeconds,
        int requestTimeoutSeconds,
        ScaleSettings scale,
        CsmSettings csm,
        CdmSettings cdm,
        boolean dryRun,
        int confirmSeconds,
        LastTest lastTest) {

    static TargetView of(Target t) {
        return of(t, null);
    }

    static TargetView of(Target t, LastTest lastTest) {
        return new TargetView(t.kind(), t.name(), t.host(), t.port(), t.username(), t.sealedPassword() != null,
                t.tls(), t.tls().insecure(), t.connectTimeoutSeconds(), t.requestTimeoutSeconds(), t.scale(), t.csm(),
                t.cdm(), t.dryRun(), t.confirmSeconds(), lastTest);
    }
}
