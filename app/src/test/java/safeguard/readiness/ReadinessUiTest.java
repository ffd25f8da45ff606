package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.access.LocalAdmin;
import safeguard.http.RetryPolicy;
import safeguard.scale.ScaleSimulator;
import safeguard.store.Store;

/** Readiness on the Overview in a real headless Chromium: first on the page, what is at risk, Run checks. */
class ReadinessUiTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @TempDir
    Path tmp;
    ScaleSimulator scale;
    Javalin app;
    WebDriver browser;
    WebDriverWait wait;
    String adminToken;

    @BeforeEach
    void start() {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/setup installs them");
        }
        assumeTrue(present, "chromium and chromedriver (.ci/setup installs them)");
        scale = ScaleSimulator.started(TestCerts.localhost(), 0);
        adminToken = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(1, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--disable-background-networking", "--window-size=1400,1000",
                "--user-data-dir=" + tmp.resolve("chrome-profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
    }

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.stop();
        }
        if (scale != null) {
            scale.close();
            assertEquals(java.util.List.of(), scale.violations());
        }
    }

    private void scaleTarget(TestHttp api, String name, int port) throws Exception {
        var t = Json.mapper().createObjectNode().put("kind", "scale").put("name", name).put("host", "localhost")
                .put("port", port).put("username", "snapadmin").put("password", "pw-Scale-1");
        t.putObject("tls").put("mode", "pinned").put("pinnedSha256",
                safeguard.http.PeerTrust.fingerprint(safeguard.http.TlsTrust.readPem(TestCerts.localhost().pem()).get(0)));
        t.putObject("scale").put("fileSystem", "gpfs01").put("defaultFileset", "sales").putArray("filesets").add("sales");
        assertEquals(201, api.send("POST", "/api/targets", t.toString()).statusCode());
    }

    @Test
    void the_overview_shows_readiness_first_naming_the_target_at_risk_and_what_to_do() throws Exception {
        TestHttp api = new TestHttp(app.port()).with("Authorization", "Bearer " + adminToken);
        scaleTarget(api, "scale-lab", scale.port());
        scaleTarget(api, "scale-down", 9); // nothing listens on port 9
        assertEquals(200, api.send("POST", "/api/readiness/run", null).statusCode());

        browser.get("http://127.0.0.1:" + app.port() + "/index.html#admin-token=" + adminToken);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local-admin (admin)"));
        wait.until(ExpectedConditions.attributeToBe(By.id("readiness"), "data-state", "at-risk"));
        WebElement box = browser.findElement(By.id("readiness"));
        assertTrue(box.getText().contains("Readiness: At risk"), box.getText());
        WebElement item = box.findElement(By.cssSelector("li[data-check='reachable'][data-subject='scale-down']"));
        assertEquals("failed", item.getAttribute("data-state"));
        assertTrue(item.getText().contains("localhost:9 did not answer"), item.getText());
        assertTrue(box.findElements(By.cssSelector("li[data-subject='scale-lab']")).isEmpty(),
                "a target whose checks pass is not listed as at risk: " + box.getText());
        // First on the page: before the journal note and the targets' tiles.
        Object first = ((JavascriptExecutor) browser).executeScript(
                "return document.querySelector('#view-overview').querySelector('#readiness, #journal-state, #overview-targets').id");
        assertEquals("readiness", first);

        // The target comes back (it is pointed at the cluster); an admin runs the checks again from the page.
        assertEquals(204, api.send("DELETE", "/api/targets/scale-down", null).statusCode());
        scaleTarget(api, "scale-down", scale.port());
        browser.findElement(By.id("readiness-run")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("readiness"), "data-state", "ready"));
        assertTrue(browser.findElement(By.id("readiness")).getText().contains("Readiness: Ready"));
    }
}
