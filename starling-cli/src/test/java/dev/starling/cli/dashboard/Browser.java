package dev.starling.cli.dashboard;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Function;
import org.junit.jupiter.api.Assumptions;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A real, headless Chromium driven by Selenium, for the dashboard's browser tests. It uses Debian's {@code chromium}
 * and {@code chromium-driver} at the paths they install to (run-tests installs them when it can), named explicitly so
 * that Selenium Manager never goes to the network. Without them, the tests that need a browser are skipped, and say
 * why.
 */
final class Browser implements AutoCloseable {
    static final File CHROMIUM = new File(System.getenv().getOrDefault("STARLING_CHROMIUM", "/usr/bin/chromium"));
    static final File DRIVER = new File(System.getenv().getOrDefault("STARLING_CHROMEDRIVER",
            "/usr/bin/chromedriver"));
    /** Where screenshots go: the module's target directory, kept as test artefacts. */
    static final Path SCREENSHOTS = Path.of("target", "screenshots");

    /** Held, so that its level stays: Selenium warns that it has no DevTools binding for this Chromium. */
    private static final java.util.logging.Logger SELENIUM_LOG = java.util.logging.Logger.getLogger(
            "org.openqa.selenium");

    private final ChromeDriver driver;
    private final Path profile;

    private Browser(int width, int height) throws IOException {
        profile = Files.createTempDirectory("starling-chromium");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--hide-scrollbars", "--window-size=" + width + "," + height, "--user-data-dir=" + profile);
        ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(DRIVER)
                .usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
    }

    /** A browser with a window of {@code width} × {@code height}; skips the test when there is none here. */
    static Browser open(int width, int height) throws IOException {
        boolean here = CHROMIUM.canExecute() && DRIVER.canExecute();
        if (!here) {
            System.err.println("dashboard browser tests skipped: no " + CHROMIUM + " or " + DRIVER);
        }
        Assumptions.assumeTrue(here, "skipped: no browser here; the"
                + " dashboard's browser tests need Debian's chromium and chromium-driver (" + CHROMIUM + ", " + DRIVER
                + "), which run-tests installs with apt-get when it runs as root; install them with 'apt-get install"
                + " -y --no-install-recommends chromium chromium-driver'");
        System.setProperty("SE_AVOID_STATS", "true");
        SELENIUM_LOG.setLevel(java.util.logging.Level.SEVERE);
        return new Browser(width, height);
    }

    WebDriver driver() {
        return driver;
    }

    /** Waits up to 15 seconds until {@code condition} gives a value that is neither null nor false. */
    <T> T until(Function<WebDriver, T> condition) {
        // The page redraws every refresh, so an element found a moment ago may have been replaced since.
        return new WebDriverWait(driver, Duration.ofSeconds(15)).ignoring(StaleElementReferenceException.class)
                .until(condition::apply);
    }

    Object script(String javascript, Object... args) {
        return driver.executeScript(javascript, args);
    }

    /** Saves a screenshot of the window as {@code target/screenshots/NAME.png}. */
    Path screenshot(String name) throws IOException {
        Files.createDirectories(SCREENSHOTS);
        Path file = SCREENSHOTS.resolve(name + ".png");
        Files.write(file, ((TakesScreenshot) driver).getScreenshotAs(OutputType.BYTES));
        return file;
    }

    @Override
    public void close() throws IOException {
        try {
            driver.quit();
        } finally {
            try (var files = Files.walk(profile)) {
                files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }
}
