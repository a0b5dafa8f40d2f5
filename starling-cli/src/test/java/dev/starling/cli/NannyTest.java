package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerExit;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The nanny: a controller that started worker processes replaces those that die, up to a limit, and the work
 * still finishes exactly once; {@code starling optimize --processes} reaches its budget exactly even when every one
 * of its first processes is killed.
 */
@Timeout(180)
class NannyTest extends ConsoleTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    private static void awaitFinished(Controller c, long n) throws InterruptedException {
        while (c.counts().finished() < n) {
            Thread.sleep(20);
        }
    }

    @Test
    void everyFirstProcessKilled_isReplaced_andEveryTaskFinishesOnce() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "nanny-" + System.nanoTime()).create().controller()) {
            c.restartProcesses(2);
            List<Long> ids = c.push(IntStream.range(0, 1_500).mapToObj(i -> Map.of("x", (double) i)).toList());
            List<WorkerProcess> first = c.startProcesses(2, SlowSquare.class, OPTIONS);
            awaitFinished(c, 100);
            first.forEach(WorkerProcess::kill);

            assertThat(c.await(ids, Duration.ofSeconds(60))).as(errors()).isTrue();
            List<Task> completed = c.completed();
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(1_500);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 1_500, 0));
            assertThat(c.processes()).hasSize(4).startsWith(first.toArray(WorkerProcess[]::new));
            for (WorkerProcess p : first) {
                assertThat(p.exit()).hasValueSatisfying(e -> assertThat(e.cause()).isEqualTo(WorkerExit.Cause.KILLED));
            }
            assertThat(c.processes().subList(2, 4)).allMatch(WorkerProcess::isAlive);
        }
    }

    @Test
    void aProcessKilledMoreOftenThanTheLimit_isNotReplacedAgain() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "nanny-limit-" + System.nanoTime()).create().controller()) {
            c.restartProcesses(1);
            c.push(IntStream.range(0, 2_000).mapToObj(i -> Map.of("x", (double) i)).toList());
            c.startProcesses(1, SlowSquare.class, OPTIONS).getFirst().kill();
            while (c.processes().size() < 2) {
                Thread.sleep(20);
            }
            c.processes().get(1).kill();

            assertThat(c.awaitWorkers(Duration.ofSeconds(60))).as("no third process is started").isTrue();
            assertThat(c.processes()).hasSize(2).noneMatch(WorkerProcess::isAlive);
        }
    }

    @Test
    void optimize_withEveryFirstProcessKilled_stillReachesItsBudgetExactly() throws Exception {
        String network = "nanny-optimize-" + System.nanoTime();
        CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> Main.run("optimize", "--problem",
                "branin", "--optimizer", "random", "--evals", "80", "--delay", "0.1", "--processes", "2",
                "--workers", "4", "--heartbeat", "0.3s", "--store", TestRedis.url(), "--network", network),
                java.util.concurrent.Executors.newVirtualThreadPerTaskExecutor());
        try (Store store = RedisStore.open(TestRedis.url())) {
            Network net = null;
            while (net == null) {
                Thread.sleep(50);
                net = store.networks().contains(network) ? Network.join(store, network) : null;
            }
            while (net.counts().finished() < 10) {
                Thread.sleep(20);
            }
            List<Long> pids = net.workers().stream().map(WorkerInfo::pid).distinct().toList();
            assertThat(pids).hasSize(2);
            pids.forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly));

            assertThat(run.get()).as(errors()).isZero();
            Matcher m = Pattern.compile("evaluations=(\\d+)").matcher(lastLine());
            assertThat(m.find()).isTrue();
            assertThat(m.group(1)).isEqualTo("80");
            assertThat(net.counts().finished()).isEqualTo(80);
            assertThat(net.workers().stream().map(WorkerInfo::pid).distinct().count()).isGreaterThanOrEqualTo(4);
        }
    }
}
