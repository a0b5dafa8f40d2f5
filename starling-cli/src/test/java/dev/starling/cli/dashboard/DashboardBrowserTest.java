package dev.starling.cli.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.MetricRecorder;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskState;
import dev.starling.optimize.EvaluationArchive;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Problem;
import dev.starling.optimize.Terminator;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;

/**
 * The dashboard in a real, headless Chromium: a network with worker threads, and an optimization, are opened in the
 * page, and what the page shows is compared with the store. Screenshots are kept under target/screenshots.
 */
@Timeout(120)
class DashboardBrowserTest {
    private static final String NAME = "browser:queue.1";
    private static final Duration REFRESH = Duration.ofMillis(200);
    private static final int WORKERS = 3;

    private Store store;
    private Dashboard dashboard;
    private Browser browser;

    @BeforeEach
    void start() throws Exception {
        browser = Browser.open(1400, 2200);
        store = Store.memory();
    }

    @AfterEach
    void stop() throws Exception {
        if (dashboard != null) {
            dashboard.close();
        }
        if (browser != null) {
            browser.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private void serve(boolean control) throws Exception {
        dashboard = Dashboard.start(store, new Dashboard.Settings("127.0.0.1", 0, null, control, REFRESH));
    }

    private String page(String network) {
        return dashboard.uri() + "networks/" + URLEncoder.encode(network, StandardCharsets.UTF_8);
    }

    /** The counts on the page, by state name, read in one go (the page redraws them every refresh). */
    private static Map<?, ?> shownCounts(Browser browser) {
        return (Map<?, ?>) browser.script("const counts = {};"
                + " document.querySelectorAll('#counts [data-state]').forEach(e => counts[e.dataset.state] ="
                + " +e.dataset.count); return counts;");
    }

    private static boolean countsShown(Browser browser, TaskCounts counts) {
        Map<?, ?> shown = shownCounts(browser);
        for (TaskState state : TaskState.values()) {
            Object n = shown.get(state.name());
            if (!(n instanceof Number number) || number.longValue() != counts.of(state)) {
                return false;
            }
        }
        return true;
    }

    @Test
    void networkPage_showsTheStoresCounts_newTasksLive_failures_andARowPerWorker() throws Exception {
        serve(false);
        Network network = Network.builder(store, NAME).create();
        try (Controller controller = network.controller()) {
            controller.startWorkers(WORKERS, (QueueLoop) task -> {
                int x = ((Number) task.xs().get("x")).intValue();
                if (x == 3) {
                    throw new IllegalStateException("three is refused");
                }
                return Map.of("y", x * x);
            });
            List<Long> first = controller.push(List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 3),
                    Map.of("x", 4), Map.of("x", 5), Map.of("x", 6)));
            assertThat(controller.await(first, Duration.ofSeconds(30))).isTrue();

            WebDriver driver = browser.driver();
            driver.get(page(NAME));
            TaskCounts counts = network.counts();
            assertThat(counts.finished()).isEqualTo(5);
            assertThat(counts.failed()).isEqualTo(1);
            browser.until(d -> countsShown(browser, counts));

            // The failure, with its class and message; a click shows its stack trace.
            Task failed = network.tasks(TaskState.FAILED).getFirst();
            By failure = By.cssSelector("details.failure[data-task='" + failed.id() + "']");
            By stack = By.cssSelector("details.failure[data-task='" + failed.id() + "'] pre.stack");
            browser.until(d -> !d.findElements(failure).isEmpty());
            assertThat(driver.findElement(failure).getText()).contains(IllegalStateException.class.getName())
                    .contains("three is refused");
            assertThat(driver.findElement(stack).isDisplayed()).isFalse();
            browser.until(d -> {
                d.findElement(failure).findElement(By.tagName("summary")).click();
                return true;
            });
            browser.until(d -> d.findElement(stack).isDisplayed());
            assertThat(driver.findElement(stack).getText()).contains("at dev.starling");

            // One row of the task stream per worker, and bars for the tasks.
            browser.until(d -> Integer.toString(WORKERS).equals(d.findElement(By.id("stream"))
                    .getDomAttribute("data-rows")));
            assertThat(Integer.parseInt(driver.findElement(By.id("stream")).getDomAttribute("data-bars")))
                    .isGreaterThanOrEqualTo(6);
            assertThat(driver.findElements(By.cssSelector("#workers tbody tr"))).hasSize(WORKERS);

            // A task finished now appears without a reload: the page's own state survives.
            browser.script("window.__sameDocument = 42;");
            long fresh = controller.push(Map.of("x", 7));
            assertThat(controller.await(List.of(fresh), Duration.ofSeconds(30))).isTrue();
            browser.until(d -> !d.findElements(By.cssSelector("#latest tr[data-task='" + fresh + "']")).isEmpty());
            assertThat(browser.script("return window.__sameDocument;")).isEqualTo(42L);
            browser.until(d -> countsShown(browser, network.counts()));

            // A worker's log, with a click on its row.
            String worker = network.workers().getFirst().id();
            browser.until(d -> {
                d.findElement(By.cssSelector("#workers tr[data-worker='" + worker + "']")).click();
                return true;
            });
            browser.until(d -> d.findElement(By.id("log-title")).getText().contains(worker));
            browser.screenshot("network");

            driver.get(dashboard.uri().toString());
            By row = By.cssSelector("tr[data-network='" + NAME + "']");
            browser.until(d -> !d.findElements(row).isEmpty());
            String shown = (String) browser.script("const r = document.querySelector(\"tr[data-network='\" + arguments[0]"
                    + " + \"']\"); return r.querySelector('[data-state=FINISHED]').textContent + '/'"
                    + " + r.querySelector('[data-state=FAILED]').textContent;", NAME);
            assertThat(shown).isEqualTo("6/1");
            browser.screenshot("networks");
        }
    }

    @Test
    void optimizationPage_showsTheBestValue_theTopConfigurations_andEveryEvaluation() throws Exception {
        serve(false);
        Network network = Network.builder(store, "browser-branin").seed(5).create();
        OptimizationResult result = Optimization.on(network).problem(Problem.branin()).optimizer(Optimizer.random())
                .terminator(Terminator.evaluations(60)).workers(2).run();
        EvaluationArchive archive = result.archive();

        WebDriver driver = browser.driver();
        driver.get(page("browser-branin"));
        browser.until(d -> d.findElement(By.id("optimization")).isDisplayed());
        long bestId = archive.best().orElseThrow().id();
        browser.until(d -> d.findElement(By.id("best")).getText().contains("evaluation " + bestId));
        Object top = browser.script("return [...document.querySelectorAll('#top tbody tr')]"
                + ".map(r => r.dataset.evaluation);");
        assertThat((List<?>) top).hasSize(10).first().isEqualTo(Long.toString(bestId));
        browser.until(d -> "60".equals(d.findElement(By.id("by-worker")).getDomAttribute("data-points")));
        browser.screenshot("optimization");
    }

    @Test
    void algorithmPage_plotsTheMetricsTheRunRecords_live() throws Exception {
        serve(false);
        Network network = Network.builder(store, "browser-algorithm").create();
        try (MetricRecorder recorder = MetricRecorder.on(network, Duration.ZERO)) {
            for (int i = 0; i < 20; i++) {
                recorder.record(Map.of("loss", Math.pow(10, -i / 4.0), "staleness", (double) (i % 3)));
            }
            WebDriver driver = browser.driver();
            driver.get(page("browser-algorithm"));
            By loss = By.cssSelector("#metrics [data-metric='loss']");
            browser.until(d -> !d.findElements(loss).isEmpty() && "20".equals(d.findElement(loss)
                    .getDomAttribute("data-points")));
            assertThat(driver.findElement(By.cssSelector("#metrics [data-metric='staleness']")).isDisplayed())
                    .isTrue();

            browser.script("window.__sameDocument = 7;");
            for (int i = 20; i < 25; i++) {
                recorder.record(Map.of("loss", Math.pow(10, -i / 4.0), "staleness", 0.0));
            }
            browser.until(d -> "25".equals(d.findElement(loss).getDomAttribute("data-points")));
            assertThat(browser.script("return window.__sameDocument;")).isEqualTo(7L);
            browser.screenshot("algorithm");
        }
    }

    @Test
    void control_cancelsQueuedTasks_fromThePage_withTheToken() throws Exception {
        serve(true);
        Network network = Network.builder(store, "browser-control").create();
        try (Controller controller = network.controller()) {
            controller.push(List.of(Map.of("x", 1), Map.of("x", 2), Map.of("x", 3)));
            WebDriver driver = browser.driver();
            driver.get(page("browser-control") + "#token=" + dashboard.token().orElseThrow());
            browser.until(d -> !d.findElements(By.id("cancel")).isEmpty());
            driver.findElement(By.id("cancel")).click();
            driver.switchTo().alert().accept();
            browser.until(d -> d.findElement(By.id("control-result")).getText().contains("cancel: 3 affected"));
            assertThat(network.counts().cancelled()).isEqualTo(3);
            browser.until(d -> Long.valueOf(3).equals(shownCounts(browser).get("CANCELLED")));
            assertThat(browser.script("return location.hash;")).as("the token leaves the address bar").isEqualTo("");
        }
    }
}
