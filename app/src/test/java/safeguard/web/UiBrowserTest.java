package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
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
import safeguard.cdm.CdmSimulator;
import safeguard.scale.ScaleSimulator;

/** The tab in a real headless Chromium: what an analyst does, end to end, against a simulated Storage Scale. */
class UiBrowserTest {
    @RegisterExtension
    final Browser ui = new Browser();
    @RegisterExtension
    final TabApp app = new TabApp(1);
    @TempDir
    Path tmp;
    ScaleSimulator scale;
    ScaleSimulator full;
    WebDriver browser;
    WebDriverWait wait;

    @BeforeEach
    void start() {
        scale = app.scale();
        browser = ui.driver();
        wait = ui.waiting();
    }

    @AfterEach
    void stop() {
        if (full != null) {
            full.close();
        }
    }

    private void signIn() {
        ui.signIn(app.port(), app.adminToken());
    }

    @Test
    void an_analyst_adds_a_target_pins_its_certificate_fires_an_action_and_sees_it_protected() throws Exception {
        // Outside QRadar nothing shows before sign-in; a wrong token is refused next to the field.
        browser.get("http://127.0.0.1:" + app.port() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-signin")));
        assertTrue(!browser.findElement(By.id("view-targets")).isDisplayed());
        ui.type("f-token", "sga_not-the-token");
        browser.findElement(By.id("sign-in")).click();
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-token")));
        assertEquals("wrong admin token", refused.getText());
        ui.shot("signin");
        // The link printed at first start signs in and leaves no token in the address bar.
        browser.get("http://127.0.0.1:" + app.port() + "/index.html?view=targets#admin-token=" + app.adminToken());
        wait.until(ExpectedConditions.attributeToBe(By.id("tab-targets"), "aria-selected", "true"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local-admin (admin)"));
        assertTrue(!browser.getCurrentUrl().contains(app.adminToken()), browser.getCurrentUrl());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("health"), "standalone"));

        // A field error is shown next to the field the API named.
        ui.type("f-name", "bad name!");
        ui.type("f-host", "localhost");
        ui.type("f-username", "snapadmin");
        ui.type("f-password", "pw-Scale-1");
        ui.type("f-fs", "gpfs01");
        browser.findElement(By.id("save-target")).click();
        WebElement error = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-name")));
        assertTrue(error.getText().startsWith("name must be"), error.getText());
        assertEquals("true", browser.findElement(By.id("f-name")).getAttribute("aria-invalid"));
        ui.shot("targets-field-error");

        ui.type("f-name", "scale-lab");
        ui.type("f-port", Integer.toString(scale.port()));
        ui.type("f-filesets", "sales, hr");
        ui.type("f-deffs", "sales");
        ui.type("f-interval", "600");
        browser.findElement(By.id("save-target")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("targets-table"), "scale-lab"));

        // Self-signed: refused, with the fingerprint offered; pinning it asks for the password again.
        WebElement test = browser.findElement(By.cssSelector("button[data-target='scale-lab']"));
        assertEquals("Test scale-lab", test.getAttribute("aria-label"), "the button names its target");
        test.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-summary"), "Could not use"));
        wait.until(d -> "test-summary".equals(d.switchTo().activeElement().getAttribute("id"))); // focus on the result
        // The app keeps the result: the health column says so, and still does after a reload.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#targets-table tr[data-target='scale-lab']"), "failed"));
        browser.findElement(By.id("pin-certificate")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("form-error"), "password again"));
        ui.type("f-password", "pw-Scale-1");
        browser.findElement(By.id("save-target")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("test-summary"), "Connected to localhost"));
        browser.navigate().refresh();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#targets-table tr[data-target='scale-lab']"), "reachable"));
        // Edit brings the form into view with the focus in it.
        browser.findElement(By.cssSelector("#targets-table tr[data-target='scale-lab'] button[aria-label='Edit scale-lab']")).click();
        wait.until(d -> "f-host".equals(d.switchTo().activeElement().getAttribute("id")));
        assertEquals("Edit target scale-lab", browser.findElement(By.id("form-title")).getText());
        browser.findElement(By.id("reset-target")).click();
        ui.axe("targets");
        ui.shot("targets");

        // A rule fires (the custom action calls the API); the Actions page follows it to "protected".
        TestHttp api = app.api();
        app.fire("scale-lab");
        ui.show("actions");
        assertTrue(!browser.findElement(By.id("view-targets")).isDisplayed(), "one page at a time");
        WebElement verified = ui.settling(Duration.ofSeconds(20)).until(ExpectedConditions.presenceOfElementLocated(
                By.cssSelector("#actions-table tr[data-status='protected']")));
        verified.click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-detail"), "sgc-sales-"));
        ui.shot("actions");

        ui.show("snapshots");
        // Loaded as the page opens, for the first Scale target: no button to find first.
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("snapshots-table"), "sgc-sales-"));
        assertTrue(browser.findElement(By.cssSelector("#snapshots-table tbody tr time")).getAttribute("title").contains(" UTC · "),
                "local time shown, UTC on hover");
        ui.shot("snapshots");

        // Reference sets: a bad value is named next to the field and nothing is written; good ones land.
        ui.show("refsets");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refset-table"), "2001"));
        new Select(browser.findElement(By.id("refset-name"))).selectByValue("Authorized-Sales-Users");
        ui.type("f-values", "2003\nabc");
        browser.findElement(By.id("add-values")).click();
        WebElement valueError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-values")));
        assertTrue(valueError.getText().startsWith("\"abc\" is not a number"), valueError.getText());
        ui.shot("refsets-field-error");
        assertTrue(!browser.findElement(By.id("refset-table")).getText().contains("2003"), "no partial write");
        ui.type("f-values", "2003");
        browser.findElement(By.id("add-values")).click();
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#refset-table tr[data-value='2003']")));
        Path csv = Files.writeString(tmp.resolve("sales-team.csv"), "value,name\r\n2004,Ana\r\n2001,Bo\r\n");
        // Carbon's file uploader: a button to choose, and the chosen file's name beside it until it is imported.
        assertTrue(browser.findElement(By.cssSelector("label.cds--btn[for='f-csv']")).isDisplayed());
        browser.findElement(By.id("f-csv")).sendKeys(csv.toAbsolutePath().toString());
        assertEquals("sales-team.csv", wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-csv-name"))).getText());
        ui.axe("reference sets with a file chosen");
        browser.findElement(By.id("import-csv")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("refset-result"), "Added 1 to Authorized-Sales-Users (1 already there)"));
        assertTrue(!browser.findElement(By.id("f-csv-name")).isDisplayed(), "the imported file is no longer shown as chosen");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#refset-table tr[data-value='2004']")));
        browser.findElement(By.cssSelector("#refset-table tr[data-value='2002'] button")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("#refset-table tr[data-value='2002']")));
        ui.shot("refsets");
        JsonNode set = Json.mapper().readTree(api.get("/api/reference-sets/Authorized-Sales-Users").body());
        assertEquals(List.of("2001", "2003", "2004"), set.findValuesAsText("value"));

        ui.show("settings");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("content-state"), "not-in-qradar"));
        assertEquals("true", browser.findElement(By.id("reveal-token")).getAttribute("disabled"),
                "the initial token was shown once already: it cannot be shown again");
        WebElement why = browser.findElement(By.id("reveal-token-why"));
        assertTrue(why.isDisplayed() && why.getText().contains("shown only once"), "and the page says why: " + why.getText());
        assertEquals("reveal-token-why", browser.findElement(By.id("reveal-token")).getAttribute("aria-describedby"));
        ui.type("f-window", "-5");
        browser.findElement(By.id("save-settings")).click();
        WebElement windowError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-coalesceWindowSeconds")));
        assertTrue(windowError.getText().startsWith("coalesceWindowSeconds must be from 0"), windowError.getText());
        ui.type("f-window", "120");
        ui.type("f-hosts", "scale-node-1\nbad host");
        browser.findElement(By.id("save-settings")).click();
        WebElement hostError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-logSourceHosts")));
        assertTrue(hostError.getText().startsWith("logSourceHosts[1] must be a host"), hostError.getText());
        ui.type("f-hosts", "scale-node-1\nscale-node-2");
        browser.findElement(By.id("save-settings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-saved"), "Saved"));
        JsonNode saved = Json.mapper().readTree(api.get("/api/settings").body());
        assertEquals(120, saved.get("coalesceWindowSeconds").asInt());
        assertEquals(List.of("scale-node-1", "scale-node-2"), Json.mapper().convertValue(saved.get("logSourceHosts"), List.class));
        assertTrue(browser.findElement(By.id("dryrun-table")).getText().contains("scale-lab"));

        // Dry run changes nothing until it is confirmed, then says what changed; while everything is, every page says so.
        WebElement dry = browser.findElement(By.id("dryrun-scale-lab"));
        ui.js("arguments[0].click();", dry);
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("confirm-dialog")));
        assertEquals("Put scale-lab in dry run?", browser.findElement(By.id("confirm-title")).getText());
        browser.findElement(By.id("confirm-cancel")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("confirm-dialog")));
        assertTrue(!dry.isSelected());
        assertTrue(!Json.mapper().readTree(api.get("/api/targets/scale-lab").body()).get("dryRun").asBoolean(), "cancelled: unchanged");
        ui.js("arguments[0].click();", dry);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("dryrun-result"), "scale-lab is now in dry run"));
        assertTrue(Json.mapper().readTree(api.get("/api/targets/scale-lab").body()).get("dryRun").asBoolean());
        ui.js("arguments[0].click();", browser.findElement(By.id("f-dryrun-all")));
        browser.findElement(By.id("save-settings")).click();
        wait.until(ExpectedConditions.elementToBeClickable(By.id("confirm-ok"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("dryrun-banner")));
        assertTrue(Json.mapper().readTree(api.get("/api/settings").body()).get("dryRunAll").asBoolean());
        ui.show("targets");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("#targets-table tr[data-target='scale-lab']"), "dry run"));
        assertTrue(browser.findElement(By.id("dryrun-banner")).isDisplayed(), "on every page");
        ui.show("settings");
        wait.until(ExpectedConditions.elementSelectionStateToBe(By.id("f-dryrun-all"), true));
        ui.shot("settings");
    }

    @Test
    void the_overview_shows_each_targets_protection_its_last_copy_the_days_actions_and_the_journal() throws Exception {
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", scale.port(), false);
        // A cluster out of snapshot resources: the app places the path, then the snapshot job fails (EFSSG0740C).
        full = ScaleSimulator.started(TestCerts.localhost(), 1);
        full.jobStderr = "EFSSG0740C There are not enough resources available to create a new snapshot.";
        app.scaleTarget("scale-down", full.port(), false);
        app.scaleTarget("scale-new", scale.port(), false);
        String ok = app.fire("scale-lab");
        app.awaitStatus(ok, "protected");
        String joined = app.fire("scale-lab"); // coalesced into the first
        String failed = app.fire("scale-down");
        app.awaitStatus(failed, "not-protected");

        signIn();
        assertEquals("true", browser.findElement(By.id("tab-overview")).getAttribute("aria-selected"), "the first page");
        wait.until(ExpectedConditions.numberOfElementsToBe(By.cssSelector("#overview-targets article"), 3));
        WebElement lab = browser.findElement(By.cssSelector("article[data-target='scale-lab']"));
        assertEquals("protected", lab.getAttribute("data-state"));
        assertTrue(lab.getText().contains("Protected"), lab.getText());
        assertTrue(lab.getText().contains("sgc-sales-"), "the copy that protects it: " + lab.getText());
        assertTrue(lab.getText().contains("Immutable until"), lab.getText());
        assertTrue(lab.getText().contains("2 (1 coalesced, 1 protected)") || lab.getText().contains("2 (1 protected, 1 coalesced)"), lab.getText());
        WebElement chart = lab.findElement(By.cssSelector("svg.sr-chart"));
        assertTrue(chart.getAttribute("aria-label").contains("2 in all"), chart.getAttribute("aria-label"));
        assertEquals(24, lab.findElements(By.cssSelector("svg.sr-chart rect")).size());
        WebElement down = browser.findElement(By.cssSelector("article[data-target='scale-down']"));
        assertEquals("not-protected", down.getAttribute("data-state"));
        assertTrue(down.getText().contains("Not protected") && down.getText().contains("the last action failed"), down.getText());
        WebElement fresh = browser.findElement(By.cssSelector("article[data-target='scale-new']"));
        assertEquals("unknown", fresh.getAttribute("data-state"));
        assertTrue(fresh.getText().contains("no action has run on this target yet"), fresh.getText());
        // An intact journal is a line at the foot of the page, not a banner.
        assertEquals("true", browser.findElement(By.id("journal-state")).getAttribute("data-intact"));
        assertTrue(browser.findElement(By.id("journal-state")).getText().startsWith("Journal intact"));
        assertTrue(!browser.findElement(By.id("journal-alarm")).isDisplayed());
        // Trouble first: the summary line, then the red tile, the unknown one, the protected one.
        assertTrue(browser.findElement(By.id("overview-summary")).getText().startsWith("1 of 3 targets not protected — last failure"),
                browser.findElement(By.id("overview-summary")).getText());
        assertEquals(List.of("scale-down", "scale-new", "scale-lab"), browser.findElements(By.cssSelector("#overview-targets article"))
                .stream().map(e -> e.getAttribute("data-target")).toList());
        assertTrue(lab.getText().contains("Last good copy") && lab.getText().matches("(?s).*sgc-sales-\\S+, (just now|\\d+ minutes? ago).*"),
                "the copy and its age: " + lab.getText());
        assertEquals("Test scale-down", down.findElement(By.id("ov-test-scale-down")).getAttribute("aria-label"), "what to do, from the tile");
        // One date format: local time with its zone, the UTC instant and the age on hover.
        WebElement when = lab.findElement(By.cssSelector("time"));
        assertTrue(when.getText().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d [A-Z][A-Za-z0-9+:-]*"), when.getText());
        assertTrue(when.getAttribute("title").matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d UTC · .*ago|.*just now"), when.getAttribute("title"));
        ui.axe("overview");
        ui.shot("overview");

        // The last action's id opens its timeline on the Actions page.
        lab.findElement(By.cssSelector("button.sr-linkbutton")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("tab-actions"), "aria-selected", "true"));
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
        // The trigger that joined it names the action that covers it, and that action's outcome.
        wait.ignoring(org.openqa.selenium.StaleElementReferenceException.class).until(d -> d.findElement(
                By.cssSelector("#actions-table tr[data-status='coalesced'] td:nth-child(8)")).getText().replaceAll("\\s+", " ")
                .equals("coalesced into " + ok + " protected"));
        ui.axe("actions with a coalesced row");
        // Its timeline says why it was folded in: the action it joined made a copy inside the window.
        ui.openRow(joined);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-detail"),
                "why: action " + ok + " made a copy (protected)"));
        assertEquals(List.of(), full.violations());
    }

    @Test
    void the_timeline_reads_as_rows_of_what_was_asked_and_answered_with_the_json_behind_a_toggle() throws Exception {
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", scale.port(), false);
        Instant event = Instant.parse("2026-11-30T02:47:13.123456789Z");
        String id = app.fireEvent("scale-lab", "/gpfs/gpfs01/sales/salaries-2022.csv", event, "4711");
        app.awaitStatus(id, "protected");
        signIn();
        ui.show("actions");
        // The Offense column.
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#actions-table tr[data-id='" + id + "'] td:nth-child(4)"), "offense 4711"));
        assertTrue(browser.findElements(By.cssSelector("#actions-table td:nth-child(4) a")).isEmpty(), "outside QRadar: no console to link to");
        ui.openRow(id);
        WebElement timeline = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
        assertEquals("action-title", browser.switchTo().activeElement().getAttribute("id"), "focus moves into the opened action");
        String text = timeline.getText();
        // The offense and when the event happened, readable (local time and zone, no nanoseconds).
        WebElement asked = timeline.findElement(By.cssSelector("tr[data-event='accepted'] td:nth-child(3)"));
        assertTrue(asked.getText().contains("— offense 4711 — event at "), asked.getText());
        WebElement eventTime = asked.findElement(By.cssSelector("time"));
        assertEquals("2026-11-30T02:47:13.123Z", eventTime.getAttribute("datetime"));
        assertTrue(eventTime.getText().matches("2026-11-30 \\d\\d:\\d\\d:13 [A-Z][A-Za-z0-9+:-]*"), eventTime.getText());
        ui.shot("timeline");
        assertTrue(text.contains("What was asked") && text.contains("What the system answered"), text);
        assertTrue(text.contains("scale-snapshot on scale-lab"), text);
        assertTrue(text.contains("create snapshot: POST"), "an upstream call as a row: " + text);
        assertTrue(text.contains("HTTP 20"), text);
        assertTrue(text.contains("protected: read back from the storage system"), text);
        assertTrue(!text.contains("{\""), "no raw JSON until asked: " + text);
        WebElement call = timeline.findElement(By.cssSelector("tr[data-event='request']"));
        // How long it took, in words; the milliseconds on hover.
        WebElement took = call.findElement(By.cssSelector("td:nth-child(5) span"));
        assertTrue(took.getText().matches("under a second|\\d+ seconds?"), took.getText());
        assertTrue(took.getAttribute("title").matches("\\d+ ms"), took.getAttribute("title"));
        WebElement toggle = call.findElement(By.cssSelector("button.sr-raw-toggle"));
        toggle.click();
        assertEquals("true", toggle.getAttribute("aria-expanded"));
        WebElement raw = browser.findElement(By.id(toggle.getAttribute("aria-controls")));
        assertTrue(raw.isDisplayed() && raw.getText().contains("\"operation\""), raw.getText());
        browser.findElement(By.id("timeline-json")).click();
        assertTrue(timeline.findElements(By.cssSelector("tr.sr-raw")).stream().allMatch(WebElement::isDisplayed));
        ui.axe("timeline");
    }
    @Test
    void an_admin_restores_an_incidents_folder_from_the_proposed_snapshot_taken_before_it() throws Exception {
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", scale.port(), false);
        String sales = "/gpfs/gpfs01/sales";
        scale.file(sales + "/reports/q1.txt", "q1 figures");
        scale.file(sales + "/reports/q2.txt", "q2 figures");
        Instant firstEvent = Instant.now().minus(Duration.ofHours(1));
        // The nightly copy, three hours before the first suspicious event; then the attack encrypts q1.
        scale.has("sales", "nightly-sales", "2099-01-01-00:00", firstEvent.minus(Duration.ofHours(3)));
        scale.file(sales + "/reports/q1.txt", "ENCRYPTED");
        String incident = app.fireEvent("scale-lab", sales + "/reports/q1.txt", firstEvent, null);
        app.awaitStatus(incident, "protected"); // its own snapshot, taken after the attack

        signIn();
        ui.show("actions");
        ui.openRow(incident);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open"))).click();

        // The proposal: when the first event happened and how the app knows, the copy before it and why.
        WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-summary")));
        String said = summary.getText();
        assertTrue(said.contains("nightly-sales, taken"), said);
        assertTrue(said.contains("the event time the rule sent with action " + incident), said);
        assertTrue(said.contains("1 newer copy was taken after it and may hold damaged files"), said);
        WebElement proposed = browser.findElement(By.cssSelector("#recover-points .sr-point[data-id='nightly-sales']"));
        assertTrue(proposed.findElement(By.cssSelector("input[type=radio]")).isSelected(), "the proposed copy is chosen");
        assertEquals(proposed, browser.findElement(By.cssSelector("#recover-points .sr-point")), "and listed first");
        assertTrue(proposed.getAttribute("class").contains("sr-point--proposed"), "and highlighted");
        assertTrue(proposed.getText().contains("(3 hours before the first suspicious event)"), proposed.getText());
        assertTrue(said.contains("(3 hours before the first suspicious event)"), said);
        assertTrue(browser.findElements(By.id("recover-gap-warning")).isEmpty(), "3 hours is no reason to warn");
        assertTrue(proposed.getText().contains("proposed"), proposed.getText());
        WebElement after = browser.findElement(By.cssSelector("#recover-points .sr-point:not([data-id='nightly-sales'])"));
        assertTrue(after.getAttribute("data-id").startsWith("sgc-sales-"), after.getAttribute("data-id"));
        assertTrue(after.getText().contains("after the incident"), "the action's own copy is marked: " + after.getText());
        assertEquals(sales + "/reports/q1.txt", browser.findElement(By.id("f-recover-paths")).getAttribute("value"),
                "the path the event named, by default");
        assertEquals("true", browser.findElement(By.id("recover-start")).getAttribute("disabled"), "nothing typed yet");
        assertEquals(Boolean.FALSE, browser.findElement(By.id("f-recover-overwrite")).isSelected());

        // A path outside the snapshot's fileset is named next to the field, before anything runs.
        ui.type("f-recover-paths", "/gpfs/gpfs01/hr/pay.txt");
        browser.findElement(By.id("recover-plan")).click();
        WebElement pathError = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-paths")));
        assertTrue(pathError.getText().contains("is not inside fileset sales"), pathError.getText());

        // The whole folder instead; the plan lists the exact calls.
        ui.type("f-recover-paths", sales + "/reports");
        assertTrue(browser.findElement(By.id("recover-where")).getText().contains(sales + "/reports.restored-nightly-sales"),
                browser.findElement(By.id("recover-where")).getText());
        browser.findElement(By.id("recover-plan")).click();
        WebElement calls = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-calls")));
        String planned = calls.getText();
        assertTrue(planned.contains("PUT https://localhost:" + scale.port()
                + "/scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshotCopy/nightly-sales/path/%2Freports"), planned);
        assertTrue(planned.contains("(the target must not exist)"), planned);
        assertEquals(4, calls.findElements(By.tagName("li")).size(), planned);
        assertEquals("No warnings.", browser.findElement(By.id("recover-warnings")).getText());
        assertEquals(0, scale.copies(), "a plan changes nothing");

        ui.type("f-recover-confirm", "scale-la");
        assertEquals("true", browser.findElement(By.id("recover-start")).getAttribute("disabled"), "not the name yet");
        ui.type("f-recover-confirm", "scale-lab");
        wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-start")));
        assertTrue(browser.findElement(By.id("recover-calls")).isDisplayed(), "typing the name keeps the plan in view");
        ui.shot("recover");
        ui.axe("the Recover panel");
        browser.findElement(By.id("recover-start")).click();

        // The recovery joins the incident and its timeline is followed to its outcome.
        WebElement done = ui.settling(Duration.ofSeconds(30)).until(
                ExpectedConditions.presenceOfElementLocated(By.cssSelector("#recoveries-table tr[data-status='restored']")));
        assertTrue(browser.switchTo().activeElement().getText().startsWith("Recovery "), "focus on what Restore did: "
                + browser.switchTo().activeElement().getText());
        String recovery = done.getAttribute("data-id");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recovery-timeline"), "restored: read back"));
        String steps = browser.findElement(By.id("recovery-timeline")).getText();
        assertTrue(steps.contains("scale-restore on scale-lab (recovery) — recovery of " + incident), steps);
        assertTrue(steps.contains("PUT /scalemgmt/v2/filesystems/gpfs01/filesets/sales/snapshotCopy/nightly-sales"), steps);
        assertTrue(browser.findElement(By.cssSelector("#timeline tr[data-event='recovery']")).getText()
                .contains("recovery " + recovery + " started"), "the incident's own timeline names it");
        ui.shot("recovered");

        SortedMap<String, String> restored = scale.files(sales + "/reports.restored-nightly-sales");
        assertEquals(Map.of(sales + "/reports.restored-nightly-sales/q1.txt", "q1 figures",
                sales + "/reports.restored-nightly-sales/q2.txt", "q2 figures"), restored);
        assertEquals("ENCRYPTED", scale.files(sales + "/reports/q1.txt").get(sales + "/reports/q1.txt"), "live data untouched");
        assertEquals(1, scale.copies());
        assertEquals(List.of(), scale.violations());
        JsonNode standing = Json.mapper().readTree(api.get("/api/recoveries?action=" + incident).body()).at("/recoveries/0");
        assertEquals(recovery, standing.get("id").asText());
        assertEquals("restored", standing.get("status").asText());

        // In the Actions list the recovery reads as what it is (the list re-renders itself: wait, do not hold a row).
        browser.findElement(By.id("first-page")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(
                "#actions-table tr[data-id='" + recovery + "'][data-status='restored']"), "scale-restore"));
    }

    @Test
    void an_admin_runs_a_clean_room_restore_and_ends_it_once_inspected() throws Exception {
        try (CdmSimulator cdm = new CdmSimulator(TestCerts.localhost())) {
            cdm.start();
            cdm.readsToFinish = 0;
            TestHttp api = app.api();
            var t = Json.mapper().createObjectNode().put("kind", "cdm").put("name", "cdm-lab").put("host", "localhost")
                    .put("port", cdm.port()).put("username", "cdmadmin").put("password", "pw-Cdm-1");
            t.putObject("tls").put("mode", "pinned").put("pinnedSha256",
                    safeguard.http.PeerTrust.fingerprint(safeguard.http.TlsTrust.readPem(TestCerts.localhost().pem()).get(0)));
            t.putObject("cdm").put("jobName", "SQL-CleanRoom-Restore").put("pollIntervalSeconds", 1);
            assertEquals(201, api.send("POST", "/api/targets", t.toString()).statusCode());
            HttpResponse<String> fired = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                            URI.create("http://127.0.0.1:" + app.port() + "/api/actions"))
                    .header("Authorization", "Bearer " + app.actionToken()).header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"type\":\"cdm-restore\",\"target\":\"cdm-lab\"}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(202, fired.statusCode(), fired.body());
            String incident = Json.mapper().readTree(fired.body()).get("id").asText();
            app.awaitStatus(incident, "protected");
            cdm.runEndsAs = "RESOURCE ACTIVE"; // the restore stays mounted in the clean room until it is ended

            signIn();
            ui.show("actions");
            ui.openRow(incident);
            wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open"))).click();
            WebElement summary = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-summary")));
            assertTrue(summary.getText().contains("clean-room restore job SQL-CleanRoom-Restore"), summary.getText());
            assertTrue(summary.getText().contains("the rule sent no event time"), "the fallback is said: " + summary.getText());
            browser.findElement(By.id("recover-plan")).click();
            String calls = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-calls"))).getText();
            assertTrue(calls.contains("/api/endeavour/job/{id}?action=start&actionname=start"), calls);
            ui.type("f-recover-confirm", "cdm-lab");
            wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-start"))).click();

            // Restored into the clean room and left mounted: the page offers to end it, confirmed by the name.
            WebElement end = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("end-cleanroom")));
            assertTrue(browser.findElement(By.cssSelector("#recoveries-table tr[data-status='restored']")).getText()
                    .contains("cdm-cleanroom"));
            assertEquals("true", end.getAttribute("disabled"), "not before the name is typed");
            ui.type("f-end-confirm", "cdm-lab");
            wait.until(ExpectedConditions.elementToBeClickable(end));
            ui.shot("recover-clean-room");
            end.click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("recovery-view"), "The clean-room restore was ended at"));
            String steps = browser.findElement(By.id("recovery-timeline")).getText();
            assertTrue(steps.contains("clean-room-ending") && steps.contains("clean-room-ended"), steps);
            assertTrue(browser.findElements(By.id("end-cleanroom")).isEmpty(), "nothing left to end");
            assertEquals(1, cdm.endIvs());
            List<CdmSimulator.Run> runs = cdm.runs("1005");
            assertEquals("COMPLETED", runs.get(runs.size() - 1).status());
            assertEquals(List.of(), cdm.violations());
        }
    }

    @Test
    void a_sign_in_link_pasted_into_an_open_sign_in_tab_signs_in_and_leaves_no_token_in_the_address_bar() throws Exception {
        browser.get("http://127.0.0.1:" + app.port() + "/index.html");
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-signin")));
        // Pasting the link into the same tab changes only the fragment: the page does not reload.
        ui.js("window.srNoReload = true; location.hash = arguments[0];", "admin-token=" + app.adminToken());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local-admin (admin)"));
        assertEquals(Boolean.TRUE, ui.js("return window.srNoReload === true;"), "the same page, not a reload");
        assertTrue(!browser.getCurrentUrl().contains(app.adminToken()), browser.getCurrentUrl());
        assertTrue(!browser.getCurrentUrl().contains("#"), browser.getCurrentUrl());
        assertTrue(browser.findElement(By.id("view-overview")).isDisplayed());
        // A wrong token in a link is refused next to the field, and is not left in the address bar either.
        browser.findElement(By.id("sign-out")).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("view-signin")));
        ui.js("location.hash = 'admin-token=sga_wrong'");
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-token")));
        assertTrue(refused.getText().contains("refused"), refused.getText());
        assertTrue(!browser.getCurrentUrl().contains("sga_wrong"), browser.getCurrentUrl());
    }

    @Test
    void the_tabs_work_from_the_keyboard_and_the_page_has_an_icon() throws Exception {
        signIn();
        WebElement overview = browser.findElement(By.id("tab-overview"));
        wait.until(ExpectedConditions.attributeToBe(overview, "aria-selected", "true"));
        overview.sendKeys(org.openqa.selenium.Keys.ARROW_RIGHT);
        wait.until(ExpectedConditions.attributeToBe(By.id("tab-targets"), "aria-selected", "true"));
        assertEquals("tab-targets", browser.switchTo().activeElement().getAttribute("id"), "focus follows");
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.END);
        wait.until(ExpectedConditions.attributeToBe(By.id("tab-settings"), "aria-selected", "true"));
        assertTrue(browser.findElement(By.id("view-settings")).isDisplayed());
        String icon = browser.findElement(By.cssSelector("link[rel=icon]")).getAttribute("href");
        assertEquals(200, HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(icon)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode(), icon);
        // Nothing on the page asked for something the app does not have (the favicon was a 404).
        Object failed = ui.js("return performance.getEntriesByType('resource').filter(e => e.responseStatus >= 400).map(e => e.name);");
        assertEquals(List.of(), failed);
        // IBM Plex comes from the app itself, and nothing at all from another origin (an air-gapped console).
        Object plex = ((org.openqa.selenium.JavascriptExecutor) browser).executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "document.fonts.load('16px \"IBM Plex Sans\"').then(f => done(f.map(x => x.status)), e => done(['' + e]));");
        assertEquals(List.of("loaded"), plex);
        assertEquals(List.of(), ui.js("return performance.getEntriesByType('resource').map(e => e.name)"
                + ".filter(n => !n.startsWith(location.origin));"));
    }

    @Test
    void the_overview_left_open_turns_a_tile_red_within_ten_seconds_of_a_failed_action_and_says_when_the_app_is_gone()
            throws Exception {
        TestHttp api = app.api();
        // No coalescing: the next trigger is an action of its own.
        assertEquals(200, api.send("PUT", "/api/settings", "{\"coalesceWindowSeconds\":0}").statusCode());
        try (ScaleSimulator doomed = ScaleSimulator.started(TestCerts.localhost(), 1)) {
            app.scaleTarget("scale-lab", scale.port(), false);
            app.scaleTarget("scale-dr", doomed.port(), false);
                app.awaitStatus(app.fire("scale-lab"), "protected");
            app.awaitStatus(app.fire("scale-dr"), "protected");
            assertEquals(List.of(), doomed.violations());

            signIn();
            wait.until(ExpectedConditions.attributeToBe(By.cssSelector("article[data-target='scale-dr']"), "data-state", "protected"));
            assertEquals("All 2 targets protected", browser.findElement(By.id("overview-summary")).getText());
            ui.js("window.srNoReload = true;");
            // scale-dr's storage goes away; the next rule that fires for it cannot make a copy.
            doomed.close();
            String failed = app.fire("scale-dr");
            ui.settling(Duration.ofSeconds(10)).until(ExpectedConditions.attributeToBe(
                    By.cssSelector("article[data-target='scale-dr']"), "data-state", "not-protected"));
            assertEquals(Boolean.TRUE, ui.js("return window.srNoReload === true;"), "the same page, not a reload");
            assertEquals("not-protected", Json.mapper().readTree(api.get("/api/actions/" + failed).body()).at("/action/status").asText());
            WebElement first = browser.findElement(By.cssSelector("#overview-targets article"));
            assertEquals("scale-dr", first.getAttribute("data-target"), "the red tile comes first");
            String summary = browser.findElement(By.id("overview-summary")).getText();
            assertTrue(summary.startsWith("1 of 2 targets not protected — last failure") && summary.contains("on scale-dr"), summary);
            assertTrue(first.getText().contains("Last good copy"), "the copy before the failure, and its age: " + first.getText());
            assertEquals("Open the last action on scale-dr", first.findElement(By.id("ov-last-scale-dr")).getAttribute("aria-label"));
            assertTrue(browser.findElement(By.id("live")).getText().startsWith("Live · updated"), browser.findElement(By.id("live")).getText());
            ui.axe("overview with a red tile");
            ui.shot("overview-trouble-first");

            // What a tile offers: the action that failed, opened with the focus in it.
            first.findElement(By.id("ov-last-scale-dr")).click();
            wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("action-title"), failed));
            wait.until(d -> "action-title".equals(d.switchTo().activeElement().getAttribute("id")));
            browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
            wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("action-detail")));

            // The app goes away: the page says so in words and marks what it shows as out of date.
            app.stop();
            wait.until(ExpectedConditions.attributeToBe(By.id("live"), "data-state", "lost"));
            assertTrue(browser.findElement(By.id("live")).getText().startsWith("Connection to the app lost — last heard"),
                    browser.findElement(By.id("live")).getText());
            assertTrue(browser.findElement(By.id("stale-note")).isDisplayed());
            assertTrue(browser.findElement(By.tagName("body")).getAttribute("class").contains("sr-stale"));
        }
    }

    @Test
    void no_page_is_wider_than_a_390_px_phone_and_axe_finds_nothing_on_any_page_at_either_width() throws Exception {
        TestHttp api = app.api();
        app.scaleTarget("scale-lab-with-a-long-name", scale.port(), false);
        app.scaleTarget("scale-down", 9, true);
        String id = app.fireEvent("scale-lab-with-a-long-name", "/gpfs/gpfs01/sales/reports/2026/q4/salaries-and-bonuses-2026.csv",
                Instant.now().minusSeconds(600), "4711");
        app.awaitStatus(id, "protected");
        signIn();
        Map<String, By> loaded = Map.of(
                "overview", By.cssSelector("#overview-targets article"),
                "targets", By.cssSelector("#targets-table tbody tr"),
                "actions", By.cssSelector("#actions-table tbody tr"),
                "snapshots", By.cssSelector("#snapshots-table tbody tr"),
                "refsets", By.cssSelector("#refset-table tbody tr"),
                "settings", By.cssSelector("#dryrun-table tbody tr"));
        for (int width : new int[] {390, 1400}) {
            ui.viewport(width, width == 390 ? 844 : 1000);
            for (String view : List.of("overview", "targets", "actions", "snapshots", "refsets", "settings")) {
                ui.js("document.getElementById('tab-' + arguments[0]).click();", view);
                wait.until(ExpectedConditions.attributeToBe(By.id("tab-" + view), "aria-selected", "true"));
                wait.until(ExpectedConditions.presenceOfElementLocated(loaded.get(view)));
                if (view.equals("actions")) {
                    ui.openRow(id);
                    wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("timeline")));
                }
                assertTrue(ui.pageWidth() <= width, view + " is " + ui.pageWidth() + " px wide at " + width + " px: " + ui.js(
                        "return Array.from(document.querySelectorAll('body *')).filter(e => e.getBoundingClientRect().right > arguments[0]"
                                + " && !(e.parentElement && e.parentElement.closest('.sr-table-wrap, .cds--tab--list'))).slice(0, 8)"
                                + ".map(e => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));", width));
                ui.axe(view + " at " + width + " px");
                if (width == 390 && view.equals("overview")) {
                    ui.shot("phone-overview");
                }
            }
        }
        // The Recover panel on a phone too.
        ui.viewport(390, 844);
        ui.js("document.getElementById('tab-actions').click();");
        ui.openRow(id);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-summary")));
        assertTrue(ui.pageWidth() <= 390, "Recover is " + ui.pageWidth() + " px wide");
        ui.axe("the Recover panel at 390 px");
        // Escape closes it and gives the focus back to the button that opened it.
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.id("recover-panel")));
        assertEquals("recover-open", browser.switchTo().activeElement().getAttribute("id"));
    }

    @Test
    void the_recover_panel_warns_when_the_only_copy_before_the_incident_is_weeks_older_than_it() throws Exception {
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", scale.port(), false);
        String sales = "/gpfs/gpfs01/sales";
        scale.file(sales + "/reports/q1.txt", "q1 figures");
        Instant firstEvent = Instant.now().minus(Duration.ofHours(1));
        scale.has("sales", "monthly-sales", "2099-01-01-00:00", firstEvent.minus(Duration.ofDays(40)));
        String incident = app.fireEvent("scale-lab", sales + "/reports/q1.txt", firstEvent, null);
        app.awaitStatus(incident, "protected");

        signIn();
        ui.show("actions");
        ui.openRow(incident);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open"))).click();
        WebElement warning = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-gap-warning")));
        assertTrue(warning.getText().contains("this copy is 40 days older than the first suspicious event (more than 7 days)"),
                warning.getText());
        assertEquals("monthly-sales", browser.findElement(By.cssSelector("#recover-points .sr-point")).getAttribute("data-id"));
        ui.axe("the Recover panel with a warning");
    }

    /** The app restarted on a store whose journal lost an action's accept record to a crash. */
    private String restartWithALostAcceptRecord() throws Exception {
        app.stop();
        Path store = tmp.resolve("store-after-crash");
        var journal = new safeguard.journal.Journal(store.resolve("journal"), 1 << 20, Clock.systemUTC());
        String lost = "a-20261124T101503Z-0e0f1011";
        journal.append(lost, "started", Json.mapper().createObjectNode());
        journal.close();
        app.restart(store);
        return lost;
    }

    @Test
    void an_admin_sets_the_attempts_and_the_recover_warning_on_the_settings_page_and_a_fileset_fallback_on_a_target()
            throws Exception {
        String lost = restartWithALostAcceptRecord();
        TestHttp api = app.api();
        app.scaleTarget("scale-lab", scale.port(), false);
        String sales = "/gpfs/gpfs01/sales";
        scale.file(sales + "/reports/q1.txt", "q1 figures");
        Instant firstEvent = Instant.now().minus(Duration.ofHours(1));
        scale.has("sales", "monthly-sales", "2099-01-01-00:00", firstEvent.minus(Duration.ofDays(40)));
        String incident = app.fireEvent("scale-lab", sales + "/reports/q1.txt", firstEvent, null);
        app.awaitStatus(incident, "protected");
        signIn();

        // Settings shows both server settings with their defaults; a value out of range is refused next to its input.
        ui.show("settings");
        wait.until(ExpectedConditions.attributeToBe(By.id("f-gap-days"), "value", "7"));
        assertEquals("6", browser.findElement(By.id("f-attempts")).getAttribute("value"));
        ui.type("f-gap-days", "0");
        browser.findElement(By.id("save-settings")).click();
        WebElement refused = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("error-recoverGapWarnDays")));
        assertTrue(refused.getText().contains("from 1 to 3650"), refused.getText());
        assertEquals("f-gap-days", browser.switchTo().activeElement().getAttribute("id"));
        ui.axe("settings with a refused field");
        ui.type("f-gap-days", "60");
        ui.type("f-attempts", "2");
        browser.findElement(By.id("save-settings")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("settings-saved"), "Saved"));
        JsonNode saved = Json.mapper().readTree(api.get("/api/settings").body());
        assertEquals(60, saved.get("recoverGapWarnDays").asInt());
        assertEquals(2, saved.get("attemptsPerHour").asInt());

        // The 40-day-old copy is within 60 days now: the Recover panel proposes it without the warning.
        ui.show("actions");
        WebElement unrecoverable = wait.until(ExpectedConditions.visibilityOfElementLocated(
                By.cssSelector("#actions-table tr[data-id='" + lost + "'] [data-status='unrecoverable']")));
        assertTrue(unrecoverable.getAttribute("class").contains("cds--tag--red"), unrecoverable.getAttribute("class"));
        ui.openRow(incident);
        wait.until(ExpectedConditions.elementToBeClickable(By.id("recover-open"))).click();
        wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("recover-summary")));
        assertEquals("monthly-sales", browser.findElement(By.cssSelector("#recover-points .sr-point")).getAttribute("data-id"));
        assertTrue(browser.findElements(By.id("recover-gap-warning")).isEmpty(), "no warning under the 60-day setting");
        browser.switchTo().activeElement().sendKeys(org.openqa.selenium.Keys.ESCAPE);

        // The target form's Storage Scale section: the file-system fallback, off until ticked, saved with the target.
        ui.show("targets");
        browser.findElement(By.cssSelector("#targets-table tr[data-target='scale-lab'] button[aria-label='Edit scale-lab']")).click();
        WebElement fallback = wait.until(ExpectedConditions.visibilityOfElementLocated(By.id("f-global-outside")));
        assertTrue(!fallback.isSelected());
        ui.axe("the target form's Storage Scale section");
        browser.findElement(By.cssSelector("label[for='f-global-outside']")).click();
        browser.findElement(By.id("save-target")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("target-saved"), "Saved target scale-lab"));
        JsonNode target = Json.mapper().readTree(api.get("/api/targets/scale-lab").body());
        assertTrue(target.at("/scale/globalOutsideFilesets").asBoolean(), target.toString());
    }
}
