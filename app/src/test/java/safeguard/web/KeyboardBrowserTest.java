package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/** The tab from the keyboard alone: where the focus lands after each button, Enter in a filter, names of buttons. */
class KeyboardBrowserTest {
    @RegisterExtension
    final Browser ui = new Browser();
    @RegisterExtension
    final TabApp app = new TabApp(0);

    /** Presses Enter on the element with {@code id}, as a keyboard user does on a focused button. */
    private void enter(String id) {
        ui.driver().findElement(By.id(id)).sendKeys(Keys.ENTER);
    }

    private void focusIsOn(String id) {
        ui.waiting().until(d -> id.equals(ui.focused()));
    }

    /** A value the API refuses: its message is shown and the field names it as its description. */
    private void refused(String input, String value, String save, String error) {
        ui.type(input, value);
        enter(save);
        ui.waiting().until(ExpectedConditions.visibilityOfElementLocated(By.id(error)));
        assertEquals(error, ui.driver().findElement(By.id(input)).getAttribute("aria-describedby"));
    }

    /**
     * The value fixed and saved: the focus is on what Save did, the message is gone and no description is left
     * pointing at it.
     */
    private void fixed(String input, String value, String save, String error, String result, String said) {
        ui.type(input, value);
        enter(save);
        ui.waiting().until(ExpectedConditions.textToBePresentInElementLocated(By.id(result), said));
        focusIsOn(result);
        assertTrue(ui.driver().findElements(By.id(error)).isEmpty(), "the message is gone");
        assertEquals(List.of(), ui.danglingDescriptions());
        assertEquals(null, ui.driver().findElement(By.id(input)).getAttribute("aria-invalid"));
    }

    @Test
    void after_save_test_and_delete_the_focus_is_on_the_result_enter_filters_and_no_description_points_at_a_removed_error()
            throws Exception {
        WebDriver browser = ui.driver();
        WebDriverWait wait = ui.waiting();
        app.scaleTarget("scale-lab", app.scale().port(), true);
        app.scaleTarget("scale-dr", app.scale().port(), true);
        String lab = app.fire("scale-lab");
        String dr = app.fire("scale-dr");
        app.awaitStatus(lab, "dry-run");
        app.awaitStatus(dr, "dry-run");
        ui.signIn(app.port(), app.adminToken());

        // Targets: every row's buttons say which target they act on.
        ui.show("targets");
        WebElement row = wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#targets-table tr[data-target='scale-dr']")));
        assertEquals(List.of("Test scale-dr", "Edit scale-dr", "Delete scale-dr"),
                row.findElements(By.cssSelector("button")).stream().map(b -> b.getAttribute("aria-label")).toList());
        // Test: the focus moves to what the test found.
        enter("test-scale-lab");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-summary"), "Connected to localhost"));
        focusIsOn("test-summary");

        // A refused field: its message is named by the field; once it is fixed and saved, no description is left
        // pointing at the message that is gone, and the focus is on what Save did.
        ui.type("f-host", "localhost");
        ui.type("f-username", "snapadmin");
        ui.type("f-password", "pw-Scale-1");
        ui.type("f-fs", "gpfs01");
        refused("f-name", "bad name!", "save-target", "error-name");
        focusIsOn("f-name");
        ui.axe("targets with a refused field");
        fixed("f-name", "scale-new", "save-target", "error-name", "target-saved", "Saved target scale-new.");
        // Delete, confirmed from the keyboard: the focus is on what it did.
        browser.findElement(By.cssSelector("#targets-table tr[data-target='scale-new'] button[aria-label='Delete scale-new']"))
                .sendKeys(Keys.ENTER);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        enter("confirm-ok");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("target-saved"), "Deleted scale-new."));
        focusIsOn("target-saved");

        // Settings: the same for a refused value, fixed and saved.
        ui.show("settings");
        wait.until(ExpectedConditions.attributeToBe(By.id("f-gap-days"), "value", "7"));
        refused("f-window", "-5", "save-settings", "error-coalesceWindowSeconds");
        fixed("f-window", "60", "save-settings", "error-coalesceWindowSeconds", "settings-saved", "Saved");

        // Actions: Enter in the target filter applies it.
        ui.show("actions");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#actions-table tbody tr"), 2));
        browser.findElement(By.id("filter-target")).sendKeys("scale-dr", Keys.ENTER);
        ui.settling(java.time.Duration.ofSeconds(10)).until(d -> d.findElements(By.cssSelector("#actions-table tbody tr")).stream()
                .map(r -> r.getAttribute("data-id")).toList().equals(List.of(dr)));
        assertEquals("filter-target", ui.focused(), "the focus stays in the filter");
        ui.axe("actions filtered");
    }
}
