package safeguard;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.javalin.Javalin;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import safeguard.cdm.CdmSimulator;
import safeguard.csm.CsmSimulator;
import safeguard.http.PeerTrust;
import safeguard.http.TlsTrust;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;

/**
 * QRadar on Cloud reaches on-premises storage through the Data Gateway proxy mapping, and QRadar hands apps its
 * egress proxy in QRADAR_HTTPS_PROXY / https_proxy (and what bypasses it in QRADAR_NO_PROXY / no_proxy): every
 * storage client (Scale, CSM, CDM) tunnels through it, and a host named in no_proxy is reached directly.
 */
class StorageProxyTest {
    static final TestCerts cert = TestCerts.localhost();

    @TempDir
    Path tmp;

    private static ObjectNode target(String kind, String name, int port, String user) throws Exception {
        ObjectNode t = Json.mapper().createObjectNode().put("kind", kind).put("name", name).put("host", "localhost")
                .put("port", port).put("username", user).put("password", "pw-Storage-1");
        t.putObject("tls").put("mode", "pinned")
                .put("pinnedSha256", PeerTrust.fingerprint(TlsTrust.readPem(cert.pem()).get(0)));
        switch (kind) {
            case "scale" -> t.putObject("scale").put("fileSystem", "gpfs01");
            case "csm" -> t.putObject("csm").put("session", "SGC_DB1");
            default -> t.putObject("cdm").put("jobName", "SQL-CleanRoom-Restore");
        }
        return t;
    }

    /** Each target's connection test, through an app started with {@code env}; the tunnels the proxy saw. */
    private List<String> testEveryKind(Map<String, String> env, ConnectProxy proxy, String store) throws Exception {
        try (ScaleSimulator scale = ScaleSimulator.started(cert, 0);
             CsmSimulator csm = new CsmSimulator(cert).credentials("csmadmin", "pw-Storage-1");
             CdmSimulator cdm = new CdmSimulator(cert).credentials("cdmadmin", "pw-Storage-1")) {
            scale.credentials("snapadmin", "pw-Storage-1");
            csm.start();
            cdm.start();
            Javalin app = App.create(AppConfig.fromEnv(env), new Deps(Store.open(tmp.resolve(store)), Clock.systemUTC()))
                    .start("127.0.0.1", 0);
            try {
                TestHttp admin = TestHttp.admin(app.port(), tmp.resolve(store));
                for (ObjectNode t : List.of(target("scale", "scale1", scale.port(), "snapadmin"),
                        target("csm", "csm1", csm.port(), "csmadmin"), target("cdm", "cdm1", cdm.port(), "cdmadmin"))) {
                    assertEquals(201, admin.send("POST", "/api/targets", t.toString()).statusCode());
                    var r = admin.send("POST", "/api/targets/" + t.get("name").asText() + "/test", null);
                    assertEquals(200, r.statusCode(), r.body());
                    assertTrue(Json.mapper().readTree(r.body()).path("ok").asBoolean(), r.body());
                }
                return List.of("localhost:" + scale.port(), "localhost:" + csm.port(), "localhost:" + cdm.port());
            } finally {
                app.stop();
            }
        }
    }

    @Test
    void every_storage_client_tunnels_through_the_proxy_qradar_names() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            List<String> hosts = testEveryKind(Map.of("QRADAR_HTTPS_PROXY", "http://127.0.0.1:" + proxy.port(),
                    "https_proxy", "http://127.0.0.1:1"), proxy, "a");
            for (String h : hosts) {
                assertTrue(proxy.tunnels().contains(h), h + " not tunnelled: " + proxy.tunnels());
            }
            assertEquals(List.of(), proxy.refused());
        }
    }

    @Test
    void https_proxy_is_honoured_when_qradar_names_none_and_no_proxy_hosts_are_reached_directly() throws Exception {
        try (ConnectProxy proxy = new ConnectProxy()) {
            List<String> hosts = testEveryKind(Map.of("https_proxy", "127.0.0.1:" + proxy.port()), proxy, "b");
            assertTrue(proxy.tunnels().containsAll(hosts), proxy.tunnels().toString());
        }
        try (ConnectProxy proxy = new ConnectProxy()) {
            testEveryKind(Map.of("https_proxy", "http://127.0.0.1:" + proxy.port(), "no_proxy", "example.com,localhost"),
                    proxy, "c");
            assertEquals(List.of(), proxy.tunnels(), "localhost is in no_proxy");
        }
    }
}
