package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;
import safeguard.TestCerts;
import safeguard.scale.ScaleSimulator;

/** The tab from the keyboard alone: where the focus lands after each button, Enter in a filter, names of buttons. */
class KeyboardBrowserTest {
    @RegisterExtension
    final Browser ui = new Browser();
    @TempDir
    Path tmp;
    ScaleSimulator scale;
    TabApp app;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() {
        scale = ScaleSimulator.started(TestCerts.localhost(), 0);
        app = TabApp.start(tmp.resolve("store"));
        browser = ui.driver();
        wait = ui.waiting();
    }

    @AfterEach
    void stop() {
        if (app != null) {
            app.close();
        }
        if (scale != null) {
            scale.close();
            assertEquals(List.of(), scale.violations());
        }
    }

    /** Presses Enter on the element with {@code id}, as a keyboard user does on a focused button. */
    private void enter(String id) {
        browser.findElement(By.id(id)).sendKeys(Keys.ENTER);
    }

    private void focusIsOn(String id) {
        wait.until(d -> id.equals(ui.focused()));
    }

    @Test
    void after_save_test_and_delete_the_focus_is_on_the_result_enter_filters_and_no_description_points_at_a_removed_error()
            throws Exception {
        app.scaleTarget("scale-lab", scale.port(), true);
        app.scaleTarget("scale-dr", scale.port(), true);
        String lab = app.fire("scale-lab");
        String dr = app.fire("scale-dr");
        app.awaitStatus(lab, "dry-run");
        app.awaitStatus(dr, "dry-run");
        ui.signIn(app.port(), app.adminToken);

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
        ui.type("f-name", "bad name!");
        ui.type("f-host", "localhost");
        ui.type("f-username", "snapadmin");
        ui.type("f-password", "pw-Scale-1");
        ui.type("f-fs", "gpfs01");
        enter("save-target");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-name")));
        assertEquals("error-name", browser.findElement(By.id("f-name")).getAttribute("aria-describedby"));
        focusIsOn("f-name");
        ui.axe("targets with a refused field");
        ui.type("f-name", "scale-new");
        enter("save-target");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("target-saved"), "Saved target scale-new."));
        focusIsOn("target-saved");
        assertTrue(browser.findElements(By.id("error-name")).isEmpty(), "the message is gone");
        assertEquals(List.of(), ui.danglingDescriptions());
        assertEquals(null, browser.findElement(By.id("f-name")).getAttribute("aria-invalid"));
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
        ui.type("f-window", "-5");
        enter("save-settings");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-coalesceWindowSeconds")));
        assertEquals("error-coalesceWindowSeconds", browser.findElement(By.id("f-window")).getAttribute("aria-describedby"));
        ui.type("f-window", "60");
        enter("save-settings");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-saved"), "Saved"));
        focusIsOn("settings-saved");
        assertTrue(browser.findElements(By.id("error-coalesceWindowSeconds")).isEmpty(), "the message is gone");
        assertEquals(List.of(), ui.danglingDescriptions());

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
