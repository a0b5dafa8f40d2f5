package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.internal.WorkerMain;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Machines whose clocks differ: two worker processes run under libfaketime, one 30 s behind this JVM's clock and one
 * an hour ahead. Heartbeats are stamped and judged by the Redis server's clock, so neither is taken for lost while it
 * lives (judged by its own clock, the one behind would look lost at once, and the one ahead would declare everyone
 * else lost when it sweeps), and the one ahead, killed, is found lost within its expiry rather than an hour later.
 */
@Timeout(120)
class ClockSkewTest {
    private static final Path FAKETIME = Path.of("/usr/bin/faketime");
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    @Test
    void workersWithSkewedClocks_areJudgedByTheServersClock() throws Exception {
        assumeTrue(Files.isExecutable(FAKETIME), "needs Debian's faketime (scripts/find-test-tools.sh installs it)");
        // Few tasks: under libfaketime a worker's 5 ms sleeps take about 20 ms.
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "skew-" + System.nanoTime()).create().controller()) {
            List<Long> ids = c.push(IntStream.range(0, 400).mapToObj(i -> Map.of("x", (double) i)).toList());
            Process behind = start(c, "-30s");
            Process ahead = start(c, "+1h");
            try {
                while (c.counts().finished() < 100 || c.workers().size() < 2) {
                    assertThat(behind.isAlive() && ahead.isAlive()).as("both worker processes alive").isTrue();
                    Thread.sleep(20);
                }
                // Several heartbeat expiries (0.9 s) have passed: nobody was taken for lost.
                Thread.sleep(2_000);
                assertThat(c.workers()).as("the two workers, neither declared lost").hasSize(2)
                        .allSatisfy(w -> assertThat(w.state()).isEqualTo(WorkerState.RUNNING));
                WorkerInfo aheadWorker = c.workers().stream().filter(w -> w.pid() == javaPid(ahead)).findFirst()
                        .orElseThrow();
                kill(ahead);
                long killedAt = System.nanoTime();
                while (c.workers().stream().noneMatch(w -> w.id().equals(aheadWorker.id())
                        && w.state() == WorkerState.LOST)) {
                    assertThat(Duration.ofNanos(System.nanoTime() - killedAt)).as("time to find the killed worker"
                            + " lost").isLessThan(Duration.ofSeconds(20));
                    Thread.sleep(20);
                }
                assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
                List<Task> completed = c.completed();
                assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(400);
                assertThat(c.workers()).filteredOn(w -> w.pid() == javaPid(behind))
                        .as("the worker 30 s behind: one registration, still running").singleElement()
                        .satisfies(w -> assertThat(w.state()).isEqualTo(WorkerState.RUNNING));
            } finally {
                kill(behind);
                kill(ahead);
            }
        }
    }

    /** The JVM that faketime started (as its child, or in its own place). */
    private static long javaPid(Process p) {
        return p.toHandle().descendants().mapToLong(ProcessHandle::pid).findFirst().orElse(p.pid());
    }

    /** kill -9 of the worker JVM and of faketime around it. */
    private static void kill(Process p) {
        p.toHandle().descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** A worker process whose wall clock is off by {@code offset} (libfaketime's syntax, e.g. {@code +1h}). */
    private static Process start(Controller c, String offset) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(FAKETIME.toString(), "-f", offset, java, "-cp",
                System.getProperty("java.class.path"), WorkerMain.class.getName()));
        command.addAll(WorkerMain.arguments("env:STARLING_STORE", c.network().name(), SlowSquare.class.getName(), 1,
                OPTIONS));
        File log = Files.createTempFile("starling-skew-", ".log").toFile();
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log);
        builder.environment().put("STARLING_STORE", c.network().store().url());
        // Timers follow the monotonic clock, which stays true: only the wall clock is off, as on a skewed machine.
        builder.environment().put("FAKETIME_DONT_FAKE_MONOTONIC", "1");
        return builder.start();
    }
}
