package safeguard.readiness;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.TestHttp;
import safeguard.web.Browser;
import safeguard.web.TabApp;

/** Readiness on the Overview in a real headless Chromium: first on the page, what is at risk, Run checks. */
class ReadinessUiTest {
    @RegisterExtension
    final Browser ui = new Browser();
    @RegisterExtension
    final TabApp app = new TabApp(0);

    @Test
    void the_overview_shows_readiness_first_naming_the_target_at_risk_and_what_to_do() throws Exception {
        WebDriver browser = ui.driver();
        WebDriverWait wait = ui.waiting();
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", app.scale().port(), false);
        app.scaleTarget("scale-down", 9, false); // nothing listens on port 9
        assertEquals(200, api.send("POST", "/api/readiness/run", null).statusCode());

        ui.signIn(app.port(), app.adminToken());
        wait.until(ExpectedConditions.attributeToBe(By.id("readiness"), "data-state", "at-risk"));
        WebElement box = browser.findElement(By.id("readiness"));
        assertTrue(box.getText().contains("Readiness: At risk"), box.getText());
        WebElement item = box.findElement(By.cssSelector("li[data-check='reachable'][data-subject='scale-down']"));
        assertEquals("failed", item.getAttribute("data-state"));
        assertTrue(item.getText().contains("localhost:9 did not answer"), item.getText());
        assertTrue(box.findElements(By.cssSelector("li[data-subject='scale-lab']")).isEmpty(),
                "a target whose checks pass is not listed as at risk: " + box.getText());
        // First on the page: before the journal note and the targets' tiles.
        Object first = ui.js(
                "return document.querySelector('#view-overview').querySelector('#readiness, #journal-state, #overview-targets').id");
        assertEquals("readiness", first);

        // The target comes back (it is pointed at the cluster); an admin runs the checks again from the page.
        assertEquals(204, api.send("DELETE", "/api/targets/scale-down", null).statusCode());
        app.scaleTarget("scale-down", app.scale().port(), false);
        browser.findElement(By.id("readiness-run")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("readiness"), "data-state", "ready"));
        assertTrue(browser.findElement(By.id("readiness")).getText().contains("Readiness: Ready"));
    }
}
