package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.App;
import safeguard.AppConfig;
import safeguard.Deps;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.access.LocalAdmin;
import safeguard.actions.ScaleSim;
import safeguard.http.RetryPolicy;
import safeguard.store.Store;

/** The tab in a real headless Chromium: what an analyst does, end to end, against a simulated Storage Scale. */
class UiBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    static final Path SHOTS = Path.of("target", "screenshots");

    @TempDir
    Path tmp;
    ScaleSim scale;
    Javalin app;
    WebDriver browser;
    WebDriverWait wait;
    String adminToken;

    @BeforeEach
    void start() throws Exception {
        assumeTrue(Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER), "chromium and chromedriver (.ci/setup)");
        scale = new ScaleSim(TestCerts.localhost(), 1, 0);
        // What `java -jar app.jar admin-token` prints; the first start printed one just like it.
        adminToken = new LocalAdmin(Store.open(tmp.resolve("store")), Clock.systemUTC()).rotate();
        app = App.create(AppConfig.fromEnv(Map.of()), new Deps(Store.open(tmp.resolve("store")), Clock.systemUTC(), null,
                new RetryPolicy(2, Duration.ZERO, Duration.ZERO, d -> { }))).start("127.0.0.1", 0);
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + tmp.resolve("chrome-profile"));
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        browser = new ChromeDriver(service, options);
        wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        Files.createDirectories(SHOTS);
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
        }
    }

    private void shot(String name) throws Exception {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("window.scrollTo(0, 0)");
        File png = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(png.toPath(), SHOTS.resolve(name + ".png"), StandardCopyOption.REPLACE_EXISTING);
    }

    private void type(String id, String text) {
        WebElement e = browser.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    private WebElement tab(String view) {
        WebElement t = browser.findElement(By.id("tab-" + view));
        t.click();
        return t;
    }

    @Test
    void an_analyst_adds_a_target_pins_its_certificate_fires_an_action_and_sees_it_verified() throws Exception {
        // Outside QRadar nothing shows before sign-in; a wrong token is refused next to the field.
        browser.get("http://127.0.0.1:" + app.port() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-signin")));
        assertTrue(!browser.findElement(By.id("view-targets")).isDisplayed());
        type("f-token", "sga_not-the-token");
        browser.findElement(By.id("sign-in")).click();
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-token")));
        assertEquals("wrong admin token", refused.getText());
        shot("signin");
        // The link printed at first start signs in and leaves no token in the address bar.
        browser.get("http://127.0.0.1:" + app.port() + "/index.html?view=targets#admin-token=" + adminToken);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local-admin (admin)"));
        assertTrue(!browser.getCurrentUrl().contains(adminToken), browser.getCurrentUrl());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("health"), "standalone"));

        // A field error is shown next to the field the API named.
        type("f-name", "bad name!");
        type("f-host", "localhost");
        type("f-username", "snapadmin");
        type("f-password", "pw-Scale-1");
        type("f-fs", "gpfs01");
        browser.findElement(By.id("save-target")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-name")));
        assertTrue(error.getText().startsWith("name must be"), error.getText());
        assertEquals("true", browser.findElement(By.id("f-name")).getAttribute("aria-invalid"));
        shot("targets-field-error");

        type("f-name", "scale-lab");
        type("f-port", Integer.toString(scale.wm.httpsPort()));
        type("f-filesets", "sales, hr");
        type("f-deffs", "sales");
        type("f-interval", "600");
        browser.findElement(By.id("save-target")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("targets-table"), "scale-lab"));

        // Self-signed: refused, with the fingerprint offered; pinning it asks for the password again.
        browser.findElement(By.cssSelector("button[data-target='scale-lab']")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-summary"), "Could not use"));
        browser.findElement(By.id("pin-certificate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-error"), "password again"));
        type("f-password", "pw-Scale-1");
        browser.findElement(By.id("save-target")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-summary"), "Connected to localhost"));
        shot("targets");

        // A rule fires (the custom action calls the API); the Actions page follows it to "verified".
        TestHttp api = new TestHttp(app.port()).with("Authorization", "Bearer " + adminToken);
        String token = Json.mapper().readTree(api.send("POST", "/api/action-token/reveal", null).body())
                .get("token").asText();
        HttpResponse<String> fired = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + app.port() + "/api/actions"))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"scale-snapshot\",\"target\":\"scale-lab\",\"context\":"
                        + "{\"rule\":\"Safeguard: confidential file touched off-hours\",\"user\":\"4294967294\","
                        + "\"path\":\"/ibm/gpfs01/sales/salaries-2022.csv\",\"filename\":\"salaries-2022.csv\"}}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(202, fired.statusCode());
        tab("actions");
        assertTrue(!browser.findElement(By.id("view-targets")).isDisplayed(), "one page at a time");
        WebElement verified = wait.until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#actions-table tr[data-status='verified']")));
        verified.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-detail"), "snapshot: sgc-sales-"));
        shot("actions");

        tab("snapshots");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("snap-target"), "scale-lab"));
        new Select(browser.findElement(By.id("snap-target"))).selectByValue("scale-lab");
        browser.findElement(By.id("load-snapshots")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("snapshots-table"), "sgc-sales-"));
        shot("snapshots");

        // Reference sets: a bad value is named next to the field and nothing is written; good ones land.
        tab("refsets");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refset-table"), "2001"));
        new Select(browser.findElement(By.id("refset-name"))).selectByValue("Authorized-Sales-Users");
        type("f-values", "2003\nabc");
        browser.findElement(By.id("add-values")).click();
        WebElement valueError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-values")));
        assertTrue(valueError.getText().startsWith("\"abc\" is not a number"), valueError.getText());
        shot("refsets-field-error");
        assertTrue(!browser.findElement(By.id("refset-table")).getText().contains("2003"), "no partial write");
        type("f-values", "2003");
        browser.findElement(By.id("add-values")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#refset-table tr[data-value='2003']")));
        Path csv = Files.writeString(tmp.resolve("sales-team.csv"), "value,name\r\n2004,Ana\r\n2001,Bo\r\n");
        browser.findElement(By.id("f-csv")).sendKeys(csv.toAbsolutePath().toString());
        browser.findElement(By.id("import-csv")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refset-result"), "Added 1 to Authorized-Sales-Users (1 already there)"));
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#refset-table tr[data-value='2004']")));
        browser.findElement(By.cssSelector("#refset-table tr[data-value='2002'] button")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#refset-table tr[data-value='2002']")));
        shot("refsets");
        JsonNode set = Json.mapper().readTree(api.get("/api/reference-sets/Authorized-Sales-Users").body());
        assertEquals(List.of("2001", "2003", "2004"), set.findValuesAsText("value"));

        tab("settings");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("content-state"), "not-in-qradar"));
        assertEquals("true", browser.findElement(By.id("reveal-token")).getAttribute("disabled"),
                "the initial token was shown once already: it cannot be shown again");
        type("f-window", "-5");
        browser.findElement(By.id("save-settings")).click();
        WebElement windowError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-coalesceWindowSeconds")));
        assertTrue(windowError.getText().startsWith("coalesceWindowSeconds must be from 0"), windowError.getText());
        type("f-window", "120");
        type("f-hosts", "scale-node-1\nbad host");
        browser.findElement(By.id("save-settings")).click();
        WebElement hostError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-logSourceHosts")));
        assertTrue(hostError.getText().startsWith("logSourceHosts[1] must be a host"), hostError.getText());
        type("f-hosts", "scale-node-1\nscale-node-2");
        browser.findElement(By.id("save-settings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-saved"), "Saved"));
        JsonNode saved = Json.mapper().readTree(api.get("/api/settings").body());
        assertEquals(120, saved.get("coalesceWindowSeconds").asInt());
        assertEquals(List.of("scale-node-1", "scale-node-2"), Json.mapper().convertValue(saved.get("logSourceHosts"), List.class));
        assertTrue(browser.findElement(By.id("dryrun-table")).getText().contains("scale-lab"));
        shot("settings");
    }
}
