package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.FreeLoop;
import dev.starling.Network;
import dev.starling.QueueLoop;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.WorkerOptions;
import dev.starling.testkit.FaultyProxy;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Network faults between the clients and Redis that a server restart does not make: connections dropped from the
 * middle, half-open connections (a black hole that forwards nothing and closes nothing, longer than the socket
 * timeout), delayed replies and replies split into tiny writes. Workers and controller go through a faulty proxy;
 * every task still finishes exactly once.
 */
@Timeout(180)
class RedisProxyFaultTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    @Test
    void droppedHalfOpenDelayedAndSplitConnections_loseNoTaskAndFinishNoneTwice() throws Exception {
        try (TestRedis.Server redis = TestRedis.start();
             FaultyProxy proxy = new FaultyProxy(redis.port());
             Store store = through(proxy);
             Controller c = Network.builder(store, "proxy").maxAttempts(20).create().controller()) {
            List<Long> ids = c.push(IntStream.range(0, 3_000).mapToObj(i -> Map.of("x", (double) i)).toList());
            c.startWorkers(4, (QueueLoop) task -> {
                Thread.sleep(2);
                return Map.of("y", 2 * ((Number) task.xs().get("x")).doubleValue());
            }, OPTIONS);
            waitFor(c, 300);
            assertThat(proxy.dropAll()).as("connections dropped").isPositive();
            waitFor(c, 600);
            proxy.blackHole(true);
            Thread.sleep(2_500);
            proxy.blackHole(false);
            waitFor(c, 1_200);
            proxy.split(true);
            waitFor(c, 1_500);
            proxy.split(false);
            proxy.delay(30);
            waitFor(c, 1_700);
            proxy.delay(0);
            proxy.dropAll();
            long[] bit = proxy.injected();
            assertThat(Arrays.copyOf(bit, 3)).as("chunks held back, delayed, split").doesNotContain(0L);

            assertThat(c.await(ids, Duration.ofSeconds(120))).as(() -> stuck(c)).isTrue();
            List<Task> completed = c.completed();
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(3_000);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 3_000, 0));
            assertThat(completed).allSatisfy(t -> assertThat(t.ys().get("y"))
                    .isEqualTo(2 * ((Number) t.xs().get("x")).doubleValue()));
        }
    }

    /**
     * Every request reaches Redis a second time, 30 ms late, from a connection nobody reads: a late copy of a claim
     * that lands after the worker's newer claims must not take tasks that no one will ever run (they stayed RUNNING
     * under a live worker for good), and a late copy of a heartbeat must not move the heartbeat back.
     */
    @Test
    void lateCopiesOfRequests_queueLoop_claimNoTaskThatNoOneRuns() throws Exception {
        try (TestRedis.Server redis = TestRedis.start();
             FaultyProxy proxy = new FaultyProxy(redis.port());
             Store store = through(proxy);
             Controller c = Network.builder(store, "replay").create().controller()) {
            proxy.replayLate(30);
            List<Long> ids = c.push(IntStream.range(0, 1_000).mapToObj(i -> Map.of("x", (double) i)).toList());
            c.startWorkers(4, (QueueLoop) task -> {
                Thread.sleep(1);
                return Map.of("y", 2 * ((Number) task.xs().get("x")).doubleValue());
            }, OPTIONS);

            assertThat(c.await(ids, Duration.ofSeconds(60))).as(() -> stuck(c)).isTrue();
            assertThat(proxy.injected()[3]).as("requests replayed").isPositive();
            proxy.replayLate(0);
            assertThat(c.completed()).extracting(Task::id).doesNotHaveDuplicates().hasSize(1_000);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 1_000, 0));
        }
    }

    /** The same for free loops: a late copy of a push of a running task must not create a task no one evaluates. */
    @Test
    void lateCopiesOfRequests_freeLoop_reachTheBudgetExactly() throws Exception {
        try (TestRedis.Server redis = TestRedis.start();
             FaultyProxy proxy = new FaultyProxy(redis.port());
             Store store = through(proxy);
             Controller c = Network.builder(store, "replay-free").budget(400).create().controller()) {
            proxy.replayLate(30);
            c.startWorkers(4, FreeLoop.of(w -> Map.of("x", w.random().nextDouble()), task -> {
                Thread.sleep(1);
                return Map.of("y", 0);
            }), OPTIONS);

            assertThat(c.awaitWorkers(Duration.ofSeconds(60))).as(() -> stuck(c)).isTrue();
            assertThat(proxy.injected()[3]).as("requests replayed").isPositive();
            proxy.replayLate(0);
            assertThat(c.counts()).as(() -> stuck(c)).isEqualTo(new TaskCounts(0, 0, 400, 0));
        }
    }

    /** A store that reaches Redis through {@code proxy}, with a short socket timeout and a long retry. */
    private static Store through(FaultyProxy proxy) {
        return Store.open("redis://127.0.0.1:" + proxy.port() + "?timeout=1000&retry=60000");
    }

    /** What a run that did not finish left behind: the counts, the workers and the tasks not yet finished. */
    private static String stuck(Controller c) {
        StringBuilder out = new StringBuilder("not all finished: ").append(c.counts());
        c.workers().forEach(w -> out.append("\n  worker ").append(w.id()).append(' ').append(w.state())
                .append(" heartbeat ").append(w.lastHeartbeat()));
        c.exits().forEach(e -> out.append("\n  exit ").append(e));
        for (dev.starling.TaskState state : List.of(dev.starling.TaskState.QUEUED, dev.starling.TaskState.RUNNING)) {
            c.tasks(state).stream().limit(20).forEach(t -> out.append("\n  ").append(state).append(" task ")
                    .append(t.id()).append(" worker ").append(t.worker()).append(" attempts ").append(t.attempts()));
        }
        return out.toString();
    }

    private static void waitFor(Controller c, long finished) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (c.counts().finished() < finished) {
            assertThat(System.nanoTime()).as("%s of %s finished", c.counts().finished(), finished).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
