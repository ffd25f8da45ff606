import java.io.File;
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
 * Loads the Overview page in headless Chromium N times and reports, from the browser's own clock (the page's
 * 'sr-overview-rendered' mark, navigation start = 0), when the target tiles were on the page: the first load
 * (empty cache, sign-in from the link included), then the later ones. Run by bench/overview.sh.
 */
public final class OverviewBench {
    public static void main(String[] args) throws Exception {
        String url = args[0];
        int runs = Integer.parseInt(args[1]);
        int tiles = Integer.parseInt(args[3]);
        ChromeOptions options = new ChromeOptions().setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-quic",
                "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
                "--user-data-dir=" + java.nio.file.Files.createTempDirectory("chrome-bench"));
        WebDriver browser = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).usingAnyFreePort().build(), options);
        long[] ms = new long[runs];
        String states = "";
        try {
            for (int i = 0; i < runs; i++) {
                browser.get("about:blank");
                browser.get(i == 0 ? url + "#admin-token=" + args[2] : url);
                new WebDriverWait(browser, Duration.ofSeconds(30), Duration.ofMillis(10)).until(
                        ExpectedConditions.numberOfElementsToBe(By.cssSelector("#overview-targets article"), tiles));
                Object t = ((JavascriptExecutor) browser).executeScript(
                        "return performance.getEntriesByName('sr-overview-rendered')[0].startTime;");
                ms[i] = Math.round(((Number) t).doubleValue());
                states = String.valueOf(((JavascriptExecutor) browser).executeScript(
                        "return [...document.querySelectorAll('#overview-targets article')].map(a => a.dataset.target + '=' + a.dataset.state + ' (' + a.querySelector('.sr-dl').innerText.match(/Actions, last 24 h\\s+(\\d+)/)[1] + ' actions)').join(', ');"));
            }
        } finally {
            browser.quit();
        }
        long[] warm = Arrays.copyOfRange(ms, 1, runs);
        Arrays.sort(warm);
        System.out.printf("overview rendered: first load %d ms; later loads median %d ms, min %d, max %d (n=%d); tiles: %s%n",
                ms[0], warm[warm.length / 2], warm[0], warm[warm.length - 1], warm.length, states);
    }
}
