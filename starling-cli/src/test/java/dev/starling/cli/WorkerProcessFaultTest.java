package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.WorkerState;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Worker processes on Redis: one is killed with SIGKILL mid-run and replaced; nothing is lost or done twice. */
@Timeout(120)
class WorkerProcessFaultTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    @Test
    void killMinus9_ofOneOfFourWorkerProcesses_losesNoTaskAndFinishesNoneTwice() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "fault").create().controller()) {
            List<Long> ids = c.push(IntStream.range(0, 2_000).mapToObj(i -> Map.of("x", (double) i)).toList());
            List<WorkerProcess> processes = c.startProcesses(4, SlowSquare.class, OPTIONS);
            while (c.counts().finished() < 300) {
                Thread.sleep(20);
            }

            WorkerProcess victim = processes.getFirst();
            WorkerInfo victimInfo = c.workers().stream().filter(w -> w.pid() == victim.pid()).findFirst()
                    .orElseThrow();
            victim.kill();
            assertThat(victim.waitFor(Duration.ofSeconds(10))).isNotEqualTo(-1);
            long runningAtDeath = c.tasks(TaskState.RUNNING).stream()
                    .filter(t -> victimInfo.id().equals(t.worker())).count();
            c.startProcesses(1, SlowSquare.class, OPTIONS);

            assertThat(c.await(ids, Duration.ofSeconds(90))).isTrue();
            List<Task> completed = c.completed();
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(2_000);
            assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 2_000, 0));
            assertThat(completed).allSatisfy(t -> assertThat(t.ys().get("y"))
                    .isEqualTo(Math.pow(((Number) t.xs().get("x")).doubleValue(), 2)));
            WorkerInfo lost = c.workers().stream().filter(w -> w.id().equals(victimInfo.id())).findFirst()
                    .orElseThrow();
            assertThat(lost.state()).isEqualTo(WorkerState.LOST);
            assertThat(lost.recovered()).isEqualTo((int) runningAtDeath);
            assertThat(completed.stream().filter(t -> t.attempts() == 2).count()).isEqualTo(runningAtDeath);
            assertThat(completed).noneMatch(t -> victimInfo.id().equals(t.worker()) && t.attempts() > 1);
            assertThat(Files.readString(processes.get(1).log())).contains("started: queue loop");
        }
    }

    @Test
    void workerProcess_exitsCleanlyOnTerminate() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "terminate-process").create().controller()) {
            WorkerProcess process = c.startProcesses(1, SlowSquare.class, OPTIONS).getFirst();
            while (c.workers().isEmpty()) {
                Thread.sleep(20);
            }
            assertThat(c.await(List.of(c.push(Map.of("x", 3.0))), Duration.ofSeconds(30))).isTrue();

            c.terminateWorkers();

            assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.TERMINATED);
        }
    }

    @Test
    void oneProcessWithThreeWorkers_sharesTheQueue_andExitsCleanlyOnTerminate() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "three-in-one").create().controller()) {
            WorkerProcess process = c.startProcesses(1, 3, SlowSquare.class, OPTIONS).getFirst();
            assertThat(process.workers()).isEqualTo(3);
            List<Long> ids = c.push(IntStream.range(0, 300).mapToObj(i -> Map.of("x", (double) i)).toList());

            assertThat(c.await(ids, Duration.ofSeconds(60))).isTrue();
            assertThat(c.completed()).extracting(Task::worker).isSubsetOf(
                    c.workers().stream().map(WorkerInfo::id).toList());
            assertThat(c.completed().stream().map(Task::worker).distinct().count()).isEqualTo(3);
            c.terminateWorkers();

            assertThat(process.waitFor(Duration.ofSeconds(30))).isZero();
            assertThat(c.workers()).hasSize(3).allSatisfy(w -> {
                assertThat(w.pid()).isEqualTo(process.pid());
                assertThat(w.state()).isEqualTo(WorkerState.TERMINATED);
            });
        }
    }

    @Test
    void workerCommand_namesStoreNetworkLoopAndHeartbeat() {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "command").create().controller()) {
            assertThat(c.workerCommand(SlowSquare.class, OPTIONS)).isEqualTo("starling worker --store "
                    + store.location() + " --network command --loop dev.starling.cli.SlowSquare --heartbeat 300ms"
                    + " --poll 100ms");
        }
    }
}
