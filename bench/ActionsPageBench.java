import java.io.File;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Loads the Actions page in headless Chromium N times and reports, from the browser's own clock, the time from
 * navigation start until the first page of rows is in the table: the first load with an empty cache (and the
 * sign-in), then the
 * later ones (the stylesheet cached, as an analyst's browser has it). Run by bench/actions-page.sh.
 */
public final class ActionsPageBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int runs = Integer.parseInt(args[1]);
        // Outside QRadar the tab needs the admin token: the first load signs in with the printed link's fragment,
        // later loads ride on the session cookie as an analyst's browser would.
        String firstUrl = args.length > 2 ? url + "#admin-token=" + args[2] : url;
        ChromeOptions options = new ChromeOptions().setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + java.nio.file.Files.createTempDirectory("chrome-bench"));
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        long[] ms = new long[runs];
        try {
            for (int i = 0; i < runs; i++) {
                browser.get("about:blank");
                browser.get(i == 0 ? firstUrl : url);
                new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(10)).until(
                        ExpectedConditions.numberOfElementsToBe(By.cssSelector("#actions-table tbody tr"), 50));
                // The page marks the moment the rows are in the table, on the clock that starts at navigation;
                // polling from here would add the poll interval to the figure.
                Object t = ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByName('sr-actions-rendered')[0].startTime;");
                ms[i] = Math.round(((Number) t).doubleValue());
            }
        } finally {
            browser.quit();
        }
        long cold = ms[0];
        long[] warm = Arrays.copyOfRange(ms, 1, runs);
        Arrays.sort(warm);
        System.out.printf("actions page, first 50 rows rendered: first load (empty browser cache) %d ms; "
                + "later loads median %d ms, min %d ms, max %d ms (n=%d)%n",
                cold, warm[warm.length / 2], warm[0], warm[warm.length - 1], warm.length);
    }
}
