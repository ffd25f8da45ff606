package safeguard.offenses;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.Javalin;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.Json;
import safeguard.TestCerts;
import safeguard.TestHttp;
import safeguard.qradar.ConsoleExtension;
import safeguard.qradar.FakeConsole;
import safeguard.qradar.InsideQradar;
import safeguard.web.Browser;

/**
 * Offenses inside QRadar (on Cloud), in a real headless Chromium: an admin picks a rule by name and a target in the
 * Settings page; the offense that rule then raises is a link back to the console from the Actions page.
 */
class OffenseSettingsBrowserTest {
    /** Where QRadar serves an app's page: its links are read as the console's page resolves them. */
    static final URI PROXIED_PAGE = URI.create("https://console.example.com/console/plugins/1051/app_proxy/index.html");

    @RegisterExtension
    final ConsoleExtension console = new ConsoleExtension();
    @RegisterExtension
    final Browser ui = new Browser();
    @TempDir
    Path tmp;
    Javalin app;

    @AfterEach
    void stop() {
        if (app != null) {
            app.stop();
        }
    }

    @Test
    void an_admin_maps_a_rule_found_by_name_to_a_target_and_the_offense_it_raises_links_back_to_the_console() throws Exception {
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

        WebDriver browser = ui.driver();
        WebDriverWait wait = ui.waiting();
        ui.signInToQradar(app.port(), "sec-admin", fake.csrfOf("sec-admin"), "settings");

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

        // The rule raises an offense; the app reads it (as its poller does every few seconds) and acts on it.
        assertEquals(200, admin.send("POST", "/api/offenses/poll", null).statusCode());
        long offense = fake.offenses().create(100123, fake.offenses().now(), null);
        assertEquals(200, admin.send("POST", "/api/offenses/poll", null).statusCode());
        JsonNode actions = Json.mapper().readTree(admin.get("/api/actions?target=scale1").body()).get("items");
        assertEquals(1, actions.size(), actions.toString());
        assertEquals(Long.toString(offense), actions.get(0).at("/context/offenseId").asText(), actions.toString());
        String id = actions.get(0).get("id").asText();

        // Its Offense cell links to the offense's summary page in the console, in a new window.
        ui.show("actions");
        String console = "https://console.example.com/console/qradar/jsp/QRadar.jsp?appName=Sem&pageId=OffenseSummary&summaryId=" + offense;
        By cell = By.cssSelector("#actions-table tr[data-id='" + id + "'] td:nth-child(4) a");
        WebElement link = wait.until(ExpectedConditions.presenceOfElementLocated(cell));
        assertEquals("offense " + offense, link.getText());
        assertEquals(console, PROXIED_PAGE.resolve(link.getDomAttribute("href")).toString(), "the console's page, not the app's");
        assertEquals("_blank", link.getDomAttribute("target"));
        assertEquals("noopener", link.getDomAttribute("rel"));
        assertEquals("Offense " + offense + " in QRadar (opens a new window)", link.getAttribute("aria-label"));
        // And so does the opened action's timeline, where it says what was asked.
        ui.openRow(id);
        WebElement asked = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#timeline tr[data-event='accepted'] a")));
        assertEquals(console, PROXIED_PAGE.resolve(asked.getDomAttribute("href")).toString());
        ui.axe("actions inside QRadar, with an offense");
    }
}
