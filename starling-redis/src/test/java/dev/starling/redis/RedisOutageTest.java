package dev.starling.redis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Archive;
import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.Worker;
import dev.starling.WorkerExit;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerState;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Store outages on a real redis-server, each longer than three heartbeat expiries: a restart, a pause (SIGSTOP /
 * SIGCONT), every connection killed, and an outage past the workers' limit. Through the first three every task
 * finishes exactly once and no worker is declared lost; past the limit the workers stop and say why. These tests run
 * on the system clock: the outages are real, and each lasts as long as the fault it injects (the only sleeps here).
 */
@Timeout(120)
class RedisOutageTest {
    /** Expiry 600 ms: the 2-second outages below are more than three expiries long. */
    private static final WorkerOptions OPTIONS = WorkerOptions.builder().heartbeatPeriod(Duration.ofMillis(200))
            .pollTimeout(Duration.ofMillis(50)).build();
    private static final Duration OUTAGE = Duration.ofSeconds(2);
    private static final int TASKS = 400;

    /** A fault applied to the server mid-run. */
    @FunctionalInterface
    private interface Fault {
        void apply(TestRedis.Server server) throws Exception;
    }

    @Test
    void restartWithTheAppendOnlyFile_isRiddenOut() throws Exception {
        runThrough(server -> {
            server.stop();
            Thread.sleep(OUTAGE);
            server.start();
        });
    }

    @Test
    void pause_isRiddenOut() throws Exception {
        runThrough(server -> {
            server.pause();
            Thread.sleep(OUTAGE);
            server.resume();
        });
    }

    @Test
    void everyConnectionKilled_isRiddenOut() throws Exception {
        runThrough(server -> assertThat(server.killClients()).isPositive());
    }

    private void runThrough(Fault fault) throws Exception {
        try (TestRedis.Server server = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
             // Commands time out after 500 ms, so that a paused server is noticed, and are retried for 30 s.
             Store store = RedisStore.open(server.url() + "?timeout=500&retry=30000");
             Controller c = Network.builder(store, "outage").create().controller()) {
            List<Worker> workers = c.startWorkers(2, task -> {
                Thread.sleep(2);
                return Map.of("y", 1);
            }, OPTIONS);
            List<Long> ids = c.push(IntStream.range(0, TASKS).mapToObj(i -> Map.of("i", i)).toList());
            Archive archive = c.network().archive();
            while (archive.size() < 50) {
                archive.await(Duration.ofSeconds(1));
            }

            fault.apply(server);

            assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
            List<Task> completed = c.completed();
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(TASKS);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, TASKS, 0));
            assertThat(c.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.RUNNING);
            assertThat(workers).allSatisfy(w -> assertThat(w.isStopped()).isFalse());
        }
    }

    @Test
    void outagePastTheLimit_stopsTheWorkersWithTheStoreAndHowLongItWasGone() throws Exception {
        WorkerOptions limited = WorkerOptions.builder().heartbeatPeriod(Duration.ofMillis(200))
                .pollTimeout(Duration.ofMillis(50)).outageLimit(Duration.ofSeconds(1)).build();
        try (TestRedis.Server server = TestRedis.start();
             Store store = RedisStore.open(server.url() + "?timeout=500&retry=300&connectTimeout=300");
             Controller c = Network.builder(store, "gone").create().controller()) {
            List<Worker> workers = c.startWorkers(2, task -> Map.of("y", 1), limited);
            assertThat(c.await(c.push(IntStream.range(0, 20).mapToObj(i -> Map.of("i", i)).toList()),
                    Duration.ofSeconds(30))).isTrue();

            server.stop();

            for (Worker w : workers) {
                assertThat(w.join(Duration.ofSeconds(30))).as("worker %s stopped", w.id()).isTrue();
                assertThat(w.exit()).hasValueSatisfying(e -> {
                    assertThat(e.cause()).isEqualTo(WorkerExit.Cause.OUTAGE);
                    assertThat(e.message()).contains("the store " + store.location() + " was unreachable for")
                            .contains("longer than the outage limit of 1.0 s");
                });
            }
            assertThat(WorkerExit.shortfall(workers.stream().map(w -> w.exit().orElseThrow()).toList()))
                    .hasValueSatisfying(m -> assertThat(m).contains("outage limit"));
        }
    }
}
