package safeguard.offenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;

/** An admin on QRadar on Cloud picks a rule by name and a target in the Settings page, in a real headless Chromium. */
class OffenseSettingsBrowserTest {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    @TempDir
    Path tmp;
    Javalin app;
    WebDriver browser;

    @AfterEach
    void stop() {
        if (browser != null) {
            browser.quit();
        }
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void an_admin_maps_a_rule_found_by_name_to_a_target_and_saves_it() throws Exception {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/setup installs them");
        }
        assumeTrue(present, "chromium and chromedriver (.ci/setup installs them)");
        FakeConsole fake = console.fake();
        fake.offenses().rule(100123, "Safeguard: mass file deletes on Storage Scale", true);
        fake.offenses().rule(100200, "Excessive firewall denies", true);
        fake.offenses().rule(100300, "Old ransomware rule", false);
        TestCerts cert = TestCerts.localhost();
        app = InsideQradar.start(console, tmp.resolve("store"), Clock.systemUTC(), console.service(), Map.of(
                "QRADAR_CONSOLE_FQDN", console.baseUrl().substring("https://".length()),
                "SEC_ADMIN_TOKEN", FakeConsole.TOKEN, "IS_QROC", "true", "REQUESTS_CA_BUNDLE", cert.pem().toString()));
        fake.signsIn("sec-admin", "admin", true);
        TestHttp admin = new TestHttp(app.port()).with("SEC", "sec-admin");
        String target = "{\"kind\":\"scale\",\"name\":\"scale1\",\"host\":\"localhost\",\"port\":1,\"username\":\"u\","
                + "\"password\":\"p\",\"tls\":{\"mode\":\"pinned\",\"pinnedSha256\":\""
                + safeguard.http.PeerTrust.fingerprint(safeguard.http.TlsTrust.readPem(cert.pem()).get(0))
                + "\"},\"scale\":{\"fileSystem\":\"gpfs01\"}}";
        assertEquals(201, admin.send("POST", "/api/targets", target).statusCode());

        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--no-first-run", "--window-size=1400,1000", "--user-data-dir=" + tmp.resolve("chrome-profile"));
        browser = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(20));
        String base = "http://127.0.0.1:" + app.port();
        browser.get(base + "/favicon.svg");
        // What the console's app proxy hands the page: the user's session and QRadar's CSRF token, as cookies.
        browser.manage().addCookie(new Cookie("SEC", "sec-admin"));
        browser.manage().addCookie(new Cookie("QRadarCSRF", fake.csrfOf("sec-admin")));
        browser.get(base + "/index.html?view=settings");

        WebElement search = wait.until(ExpectedConditions.elementToBeClickable(By.id("f-rule-search")));
        wait.until(d -> new Select(d.findElement(By.id("f-rule"))).getOptions().size() == 3);
        search.sendKeys("ransom");
        Select rules = new Select(browser.findElement(By.id("f-rule")));
        wait.until(d -> rules.getOptions().size() == 1);
        assertTrue(rules.getOptions().get(0).getText().endsWith("— disabled"));
        assertTrue(!rules.getOptions().get(0).isEnabled(), "a disabled rule cannot be chosen");
        search.clear();
        search.sendKeys("mass file");
        wait.until(d -> rules.getOptions().size() == 1);
        new Select(browser.findElement(By.id("f-rule-target"))).selectByValue("scale1");
        browser.findElement(By.id("add-offense-trigger")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("offense-triggers"),
                "Safeguard: mass file deletes on Storage Scale"));
        browser.findElement(By.id("save-offense-triggers")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#offense-form .sr-ok"), "Saved"));

        JsonNode saved = Json.mapper().readTree(admin.get("/api/settings").body()).get("offenseTriggers");
        assertEquals(1, saved.size());
        assertEquals(100123, saved.get(0).get("ruleId").asLong());
        assertEquals("scale1", saved.get(0).get("target").asText());
        assertTrue(browser.findElement(By.id("offense-form")).getText().contains("Data Gateway proxy mapping"));
    }
}
