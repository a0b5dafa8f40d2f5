package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerExit;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What a Redis restart keeps: with an append-only file, everything, and the run goes on; without persistence,
 * nothing, and the workers and the controller stop with an error that says the network vanished, instead of
 * recreating an empty one and carrying on.
 */
@Timeout(120)
class PersistenceTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    private static List<Map<String, Object>> tasks(int n) {
        return IntStream.range(0, n).<Map<String, Object>>mapToObj(i -> Map.of("x", (double) i)).toList();
    }

    @Test
    void withAnAppendOnlyFile_aCrashAndRestartKeepsEverything_andTheRunGoesOn() throws Exception {
        try (TestRedis.Server redis = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
             Store store = RedisStore.open(redis.url() + "?retry=30000");
             Controller c = Network.builder(store, "aof").create().controller()) {
            List<Long> ids = c.push(tasks(800));
            c.startProcesses(1, 2, SlowSquare.class, OPTIONS);
            while (c.counts().finished() < 100) {
                Thread.sleep(20);
            }
            redis.stop();
            redis.start();
            TaskCounts after = c.counts();
            assertThat(after.total()).as("every task is still there").isEqualTo(800);
            assertThat(after.finished()).isGreaterThanOrEqualTo(100);

            assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
            assertThat(c.completed()).extracting(Task::id).doesNotHaveDuplicates().hasSize(800);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 800, 0));
        }
    }

    @Test
    void withoutPersistence_aRestartLosesTheNetwork_andEveryoneStopsSayingSo() throws Exception {
        try (TestRedis.Server redis = TestRedis.start();
             Store store = RedisStore.open(redis.url() + "?retry=30000");
             Controller c = Network.builder(store, "volatile").create().controller()) {
            List<Long> ids = c.push(tasks(5_000));
            List<WorkerProcess> processes = c.startProcesses(1, 2, SlowSquare.class, OPTIONS);
            while (c.counts().finished() < 100) {
                Thread.sleep(20);
            }
            redis.stop();
            redis.start();

            assertThatThrownBy(() -> c.await(ids, Duration.ofSeconds(30))).isInstanceOf(StarlingException.class)
                    .hasMessageContaining("network 'volatile' does not exist")
                    .hasMessageContaining("restarted without persistence");
            WorkerProcess worker = processes.getFirst();
            assertThat(worker.waitFor(Duration.ofSeconds(30))).as("the worker process stops").isNotEqualTo(-1);
            assertThat(worker.exit()).hasValueSatisfying(exit -> {
                assertThat(exit.cause()).isNotEqualTo(WorkerExit.Cause.COMPLETED);
                assertThat(exit.message()).contains("does not exist");
            });
            assertThat(store.networks()).as("nobody recreated it").doesNotContain("volatile");
        }
    }
}
