package safeguard.actions;

import static com.github.tomakehurst.wiremock.client.WireMock.aResponse;
import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.post;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathMatching;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.wireMockConfig;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.extension.ResponseDefinitionTransformerV2;
import com.github.tomakehurst.wiremock.http.ResponseDefinition;
import com.github.tomakehurst.wiremock.stubbing.ServeEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import safeguard.Json;
import safeguard.TestCerts;

/**
 * A Storage Scale management API that remembers the snapshots it was asked to create (so read-back works for
 * any name), answers jobs RUNNING {@code runningPolls} times then COMPLETED, over HTTPS with a self-signed cert.
 */
public final class ScaleSim implements ResponseDefinitionTransformerV2, AutoCloseable {
    public final Map<String, String> snapshots = new ConcurrentHashMap<>();
    public final Map<String, Integer> polls = new ConcurrentHashMap<>();
    public volatile int runningPolls;
    private final int delayMs;
    public final WireMockServer wm;

    public ScaleSim(TestCerts cert, int runningPolls, int delayMs) {
        this.runningPolls = runningPolls;
        this.delayMs = delayMs;
        wm = new WireMockServer(wireMockConfig().httpDisabled(true).dynamicHttpsPort().extensions(this)
                .keystorePath(cert.keystore().toString()).keystorePassword(cert.password())
                .keyManagerPassword(cert.password()).keystoreType("PKCS12"));
        wm.start();
        // Test connection: the API, the file system and its filesets exist.
        wm.stubFor(get(urlPathMatching("/scalemgmt/v2/info")).willReturn(okJson("{\"info\":{\"serverVersion\":\"5.2.3.0\"}}")));
        wm.stubFor(get(urlPathMatching("/scalemgmt/v2/filesystems/[^/]+(/filesets/[^/]+)?"))
                .willReturn(okJson("{\"filesystems\":[{}],\"filesets\":[{}]}")));
        wm.stubFor(get(urlPathMatching("/scalemgmt/v2/filesystems/[^/]+(/filesets/[^/]+)?/snapshots"))
                .willReturn(aResponse().withTransformers("scale-sim")));
        wm.stubFor(post(urlPathMatching(".*/snapshots")).willReturn(aResponse().withTransformers("scale-sim")));
        wm.stubFor(get(urlPathMatching("/scalemgmt/v2/jobs/.*")).willReturn(aResponse().withTransformers("scale-sim")));
        wm.stubFor(get(urlPathMatching(".*/snapshots/[^/]+")).willReturn(aResponse().withTransformers("scale-sim")));
    }

    @Override
    public String getName() {
        return "scale-sim";
    }

    @Override
    public boolean applyGlobally() {
        return false;
    }

    @Override
    public ResponseDefinition transform(ServeEvent e) {
        String url = e.getRequest().getUrl();
        String path = url.contains("?") ? url.substring(0, url.indexOf('?')) : url;
        try {
            if (e.getRequest().getMethod().getName().equals("POST")) {
                Thread.sleep(delayMs); // a slow storage system: the create takes this long to be accepted
                var body = Json.mapper().readTree(e.getRequest().getBodyAsString());
                String name = body.get("snapshotName").asText();
                snapshots.put(name, body.get("expirationTime").asText());
                return json(202, "{\"jobs\":[{\"jobId\":\"" + name + "\",\"status\":\"RUNNING\"}]}");
            }
            if (path.startsWith("/scalemgmt/v2/jobs/")) {
                String job = path.substring("/scalemgmt/v2/jobs/".length());
                int n = polls.merge(job, 1, Integer::sum);
                return json(200, "{\"jobs\":[{\"jobId\":\"" + job + "\",\"status\":\""
                        + (n > runningPolls ? "COMPLETED" : "RUNNING") + "\",\"result\":{\"stderr\":[]}}]}");
            }
            if (path.endsWith("/snapshots")) {
                String fileset = path.contains("/filesets/") ? path.replaceAll(".*/filesets/([^/]+)/snapshots", "$1") : "";
                StringBuilder list = new StringBuilder("{\"snapshots\":[");
                snapshots.forEach((n, exp) -> list.append(list.length() > 14 ? "," : "").append("{\"snapshotName\":\"")
                        .append(n).append("\",\"filesetName\":\"").append(fileset).append("\",\"expirationTime\":\"")
                        .append(exp).append("\",\"created\":\"2026-11-23 09:00:00,000\",\"status\":\"Valid\"}"));
                return json(200, list.append("]}").toString());
            }
            String name = path.substring(path.lastIndexOf('/') + 1);
            String exp = snapshots.get(name);
            if (exp == null) {
                return json(400, "{\"status\":{\"code\":400,\"message\":\"Invalid value in 'snapshotName'\"}}");
            }
            return json(200, "{\"snapshots\":[{\"snapshotName\":\"" + name + "\",\"expirationTime\":\"" + exp + "\"}]}");
        } catch (Exception ex) {
            return json(500, "{\"status\":{\"code\":500,\"message\":\"" + ex.getMessage() + "\"}}");
        }
    }

    private static ResponseDefinition json(int status, String body) {
        return new com.github.tomakehurst.wiremock.client.ResponseDefinitionBuilder().withStatus(status)
                .withHeader("Content-Type", "application/json").withBody(body).build();
    }

    public int created() {
        return snapshots.size();
    }

    @Override
    public void close() {
        wm.stop();
    }
}
