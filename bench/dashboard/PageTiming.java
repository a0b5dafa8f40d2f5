import java.io.File;
import java.nio.file.Files;
import org.openqa.selenium.By;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Opens a dashboard page in headless Chromium and measures what a user feels: seconds from opening the page until
 * it shows EXPECTED finished tasks, then the time of one full redraw (task stream and charts) with a two-minute window
 * and with the whole run, and the page's JavaScript heap. Arguments: URL EXPECTED_FINISHED. Run by
 * bench/dashboard-smoothness.sh.
 */
public class PageTiming {
    public static void main(String[] args) throws Exception {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(new File("/usr/bin/chromium"));
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,2000", "--user-data-dir=" + Files.createTempDirectory("page-timing"));
        ChromeDriver driver = new ChromeDriver(new ChromeDriverService.Builder()
                .usingDriverExecutable(new File("/usr/bin/chromedriver")).build(), options);
        try {
            long start = System.nanoTime();
            driver.get(args[0]);
            String shown = "return (document.querySelector('#counts [data-state=FINISHED]') || {dataset: {}})"
                    + ".dataset.count";
            while (!args[1].equals(driver.executeScript(shown))) {
                Thread.sleep(20);
            }
            // The rows arrive after the counts, in pages of 5,000: wait until the stream holds them all.
            String bars = "document.getElementById('window').value = '0';"
                    + " document.getElementById('window').dispatchEvent(new Event('change'));"
                    + " return +document.getElementById('stream').dataset.bars";
            long expected = Long.parseLong(args[1]);
            while (((Number) driver.executeScript(bars)).longValue() < expected) {
                Thread.sleep(20);
            }
            System.out.printf("page shows all %s finished tasks %.2f s after opening%n", args[1],
                    (System.nanoTime() - start) / 1e9);
            for (String window : new String[] {"120", "0"}) {
                driver.executeScript("const s = document.getElementById('window'); s.value = arguments[0];"
                        + " s.dispatchEvent(new Event('change'));", window);
                Object ms = driver.executeScript("const t = performance.now();"
                        + " for (let i = 0; i < 10; i++) window.dispatchEvent(new Event('resize'));"
                        + " return (performance.now() - t) / 10;");
                System.out.printf("window %s: one redraw of the task stream and charts %.1f ms, %s bars drawn%n",
                        window.equals("0") ? "whole run" : window + " s", ((Number) ms).doubleValue(),
                        driver.findElement(By.id("stream")).getDomAttribute("data-bars"));
            }
            System.out.printf("JavaScript heap %.1f MB; %s%n", ((Number) driver.executeScript(
                    "return performance.memory.usedJSHeapSize / 1e6")).doubleValue(),
                    driver.findElement(By.id("problem")).getText().isEmpty() ? "no error shown"
                            : "error: " + driver.findElement(By.id("problem")).getText());
        } finally {
            driver.quit();
        }
    }
}
