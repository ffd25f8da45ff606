package safeguard.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One headless Chromium per test, shared by the browser tests of the tab: started before the test's own set-up, quit
 * after it, with what every such test needs (sign-in, waits that survive a re-render, axe-core, screenshots).
 * Register with {@code @RegisterExtension final Browser ui = new Browser();}.
 */
public final class Browser implements BeforeEachCallback, AfterEachCallback {
    static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    /** Where {@link #shot} writes; app/tools/update-screenshots.sh copies them to docs/screenshots/. */
    static final Path SHOTS = Path.of("target", "screenshots");

    private Path profile;
    private ChromeDriver driver;
    private WebDriverWait wait;

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        boolean present = Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER);
        // In CI a missing browser is a broken set-up, not a reason to pass without testing the tab.
        if (!present && "true".equals(System.getenv("CI"))) {
            fail("CI=true but " + CHROMIUM + " or " + CHROMEDRIVER + " is missing: .ci/setup installs them");
        }
        assumeTrue(present, "chromium and chromedriver (.ci/setup installs them)");
        profile = Files.createTempDirectory("sr-chrome-profile");
        ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update",
                "--disable-sync", "--window-size=1400,1000", "--user-data-dir=" + profile);
        driver = new ChromeDriver(new ChromeDriverService.Builder().usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort().build(), options);
        wait = settling(Duration.ofSeconds(20));
        Files.createDirectories(SHOTS);
    }

    @Override
    public void afterEach(ExtensionContext context) throws IOException {
        if (driver != null) {
            driver.quit();
        }
        if (profile != null) {
            try (Stream<Path> all = Files.walk(profile)) {
                all.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    public WebDriver driver() {
        return driver;
    }

    /** The test's usual wait (20 s). */
    public WebDriverWait waiting() {
        return wait;
    }

    /** A wait that reads the page again when it re-rendered between finding an element and reading it. */
    public WebDriverWait settling(Duration timeout) {
        WebDriverWait w = new WebDriverWait(driver, timeout, Duration.ofMillis(100));
        w.ignoring(StaleElementReferenceException.class);
        return w;
    }

    public Object js(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /** The id of the element that has the focus. */
    public String focused() {
        return driver.switchTo().activeElement().getAttribute("id");
    }

    /** Outside QRadar: the link the first start printed signs the local admin in. */
    public void signIn(int port, String adminToken) {
        driver.get("http://127.0.0.1:" + port + "/index.html#admin-token=" + adminToken);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("who"), "local-admin (admin)"));
    }

    /** Inside QRadar: what the console's app proxy hands the page, the user's session and QRadar's CSRF token. */
    public void signInToQradar(int port, String sec, String csrf, String view) {
        String base = "http://127.0.0.1:" + port;
        driver.get(base + "/favicon.svg");
        driver.manage().addCookie(new Cookie("SEC", sec));
        driver.manage().addCookie(new Cookie("QRadarCSRF", csrf));
        driver.get(base + "/index.html?view=" + view);
    }

    /** Opens a page of the tab by its tab. */
    public WebElement show(String view) {
        WebElement t = driver.findElement(By.id("tab-" + view));
        t.click();
        wait.until(ExpectedConditions.attributeToBe(t, "aria-selected", "true"));
        return t;
    }

    /** Opens an action from the list; the list redraws itself when it changes, so a row is found and clicked at once. */
    public void openRow(String id) {
        By row = By.cssSelector("#actions-table tr[data-id='" + id + "']");
        wait.until(d -> {
            d.findElement(row).click();
            return true;
        });
    }

    public void type(String id, String text) {
        WebElement e = driver.findElement(By.id(id));
        e.clear();
        e.sendKeys(text);
    }

    /** The viewport of a phone (or back to the desktop's), as the page's media queries see it. */
    public void viewport(int width, int height) {
        driver.executeCdpCommand("Emulation.setDeviceMetricsOverride", Map.of("width", width, "height", height,
                "deviceScaleFactor", 1, "mobile", width < 600));
    }

    public long pageWidth() {
        return ((Number) js("return Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);")).longValue();
    }

    /** Every aria-describedby on the page that names an element that is not there (a message since removed). */
    public Object danglingDescriptions() {
        return js("return Array.from(document.querySelectorAll('[aria-describedby]')).flatMap(e => e.getAttribute("
                + "'aria-describedby').split(/\\s+/).filter(id => id && !document.getElementById(id)).map(id => e.id + ' -> ' + id));");
    }

    /** The whole page, not the window: what the guides show is what the test saw (docs/screenshots/). */
    @SuppressWarnings("unchecked")
    public void shot(String name) {
        Map<String, Object> metrics = driver.executeCdpCommand("Page.getLayoutMetrics", Map.of());
        Map<String, Object> size = (Map<String, Object>) metrics.get("cssContentSize");
        double width = Math.max(((Number) size.get("width")).doubleValue(), ((Number) js("return window.innerWidth;")).doubleValue());
        double height = ((Number) size.get("height")).doubleValue();
        Map<String, Object> png = driver.executeCdpCommand("Page.captureScreenshot", Map.of("format", "png",
                "captureBeyondViewport", true,
                "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
        try {
            Files.write(SHOTS.resolve(name + ".png"), Base64.getDecoder().decode((String) png.get("data")));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * axe-core (vendored as a test resource, never served by the app) on the page as it is now: no critical, serious
     * or moderate violation.
     */
    public void axe(String page) {
        if (!Boolean.TRUE.equals(js("return typeof window.axe === 'object';"))) {
            try (var in = Browser.class.getResourceAsStream("/axe/axe.min.js")) {
                js(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        Object found = ((JavascriptExecutor) driver).executeAsyncScript(
                "const done = arguments[arguments.length - 1];"
                        + "axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations"
                        + ".filter(v => ['critical', 'serious', 'moderate'].includes(v.impact))"
                        + ".map(v => v.id + ' (' + v.impact + '): ' + v.nodes.map(n => n.target.join(' ')).join(', '))))"
                        + ".catch(e => done(['axe did not run: ' + e]));");
        assertEquals(List.of(), found, "axe-core on " + page);
    }
}
