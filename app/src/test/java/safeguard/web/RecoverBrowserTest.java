package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The Recover panel's proposal and its warnings, in a real headless Chromium against a simulated Storage Scale. */
class RecoverBrowserTest {
    @RegisterExtension
    final Browser ui = new Browser();
    @RegisterExtension
    final TabApp app = new TabApp(0);

    private String warning() {
        return ui.driver().findElements(By.id("recover-gap-warning")).stream().map(WebElement::getText).findFirst().orElse("");
    }

    @Test
    void the_proposed_copy_comes_first_with_its_age_and_the_warning_follows_the_copy_chosen_past_the_setting_or_after_the_event()
            throws Exception {
        WebDriver browser = ui.driver();
        WebDriverWait wait = ui.waiting();
        app.scaleTarget("scale-lab", app.scale().port(), false);
        String sales = "/gpfs/gpfs01/sales";
        app.scale().file(sales + "/reports/q1.txt", "q1 figures");
        Instant firstEvent = Instant.now().minus(Duration.ofHours(2));
        app.scale().has("sales", "weekly-sales", "2099-01-01-00:00", firstEvent.minus(Duration.ofDays(3)));
        app.scale().has("sales", "daily-sales", "2099-01-01-00:00", firstEvent.minus(Duration.ofHours(20)));
        // The admin wants to hear of any copy more than 2 days older than the incident.
        assertEquals(200, app.api().send("PUT", "/api/settings", "{\"recoverGapWarnDays\":2}").statusCode());
        // The rule fires two hours after the event: the action's own snapshot is newer than the event.
        String incident = app.fireEvent("scale-lab", sales + "/reports/q1.txt", firstEvent, null);
        app.awaitStatus(incident, "protected");

        ui.signIn(app.port(), app.adminToken());
        ui.show("actions");
        ui.openRow(incident);
        WebElement open = wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open")));
        open.sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-summary")));

        // First and highlighted, chosen, with its age relative to the first suspicious event; the focus is on it.
        List<WebElement> points = browser.findElements(By.cssSelector("#recover-points .sr-point"));
        assertEquals("daily-sales", points.get(0).getAttribute("data-id"), "the proposed copy comes first");
        WebElement proposed = points.get(0);
        assertTrue(proposed.getAttribute("class").contains("sr-point--proposed"), "and is highlighted");
        assertTrue(proposed.findElement(By.cssSelector("input[type=radio]")).isSelected());
        assertTrue(proposed.getText().contains("(20 hours before the first suspicious event)"), proposed.getText());
        assertEquals(proposed.findElement(By.cssSelector("input[type=radio]")).getAttribute("id"), ui.focused());
        // The others newest first: the action's own copy (after the event, and marked so), then the older one.
        WebElement after = points.get(1);
        assertTrue(after.getAttribute("data-id").startsWith("sgc-sales-"), after.getAttribute("data-id"));
        assertTrue(after.getText().contains("(2 hours after the first suspicious event)") && after.getText().contains("after the incident"),
                after.getText());
        assertEquals("weekly-sales", points.get(2).getAttribute("data-id"));
        assertEquals("", warning(), "20 hours is within the 2 days the admin set");

        // An older copy chosen instead: past the setting, said at once.
        points.get(2).findElement(By.cssSelector("input[type=radio]")).sendKeys(Keys.SPACE);
        wait.until(d -> !warning().isEmpty());
        assertTrue(warning().contains("this copy is 3 days older than the first suspicious event (more than 2 days)"), warning());
        ui.axe("the Recover panel warning of an old copy");
        // The copy the action took after the event: it may hold what the attack changed.
        after.findElement(By.cssSelector("label")).click();
        wait.until(d -> warning().contains("after the first suspicious event"));
        assertTrue(warning().contains("this copy was taken 2 hours after the first suspicious event: it may hold damaged files"),
                warning());
        // Back to the proposal: nothing to warn of.
        proposed.findElement(By.cssSelector("label")).click();
        wait.until(d -> warning().isEmpty());

        // Escape closes the panel and gives the focus back to the button that opened it.
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("recover-panel")));
        assertEquals("recover-open", ui.focused());
    }
}
