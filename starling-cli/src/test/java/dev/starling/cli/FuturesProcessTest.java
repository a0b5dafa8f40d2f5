package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Route;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.futures.AsCompleted;
import dev.starling.futures.Functions;
import dev.starling.futures.Futures;
import dev.starling.futures.TaskFailedException;
import dev.starling.futures.TaskFunction;
import dev.starling.futures.TaskFuture;
import dev.starling.internal.WorkerMain;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Futures run by worker processes on Redis, with functions found by class name on the workers' class path. */
@Timeout(120)
class FuturesProcessTest {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    static final TaskFunction<Integer, Long> PID = TaskFunction.of("pid", Integer.class, Long.class);
    /** Blocks on its first attempt until its process dies; a later attempt returns its process id at once. */
    static final TaskFunction<Integer, Long> PID_AFTER_A_DEATH = TaskFunction.of("pid-after-a-death", Integer.class,
            Long.class);
    static final TaskFunction<String, String> FAIL = TaskFunction.of("fail", String.class, String.class);

    /** The functions the worker processes run; public with a no-arg constructor, so they can be named. */
    public static final class TestFunctions extends Functions {
        /** The functions. */
        public TestFunctions() {
            super(builder()
                    .add(PID, (i, task) -> ProcessHandle.current().pid())
                    .add(PID_AFTER_A_DEATH, (i, task) -> {
                        if (task.task().attempts() == 1) {
                            new CountDownLatch(1).await();
                        }
                        return ProcessHandle.current().pid();
                    })
                    .add(FAIL, (message, task) -> {
                        throw new IllegalArgumentException(message);
                    }));
        }
    }

    @Test
    void futures_onWorkerProcesses_mapAsCompletedRoutingFailuresAndAReplacedProcess() throws Exception {
        try (Store store = RedisStore.open(TestRedis.url());
             Controller c = Network.builder(store, "futures-processes").create().controller()) {
            List<WorkerProcess> processes = List.of(
                    c.startProcesses(1, TestFunctions.class, OPTIONS.withTags(Set.of("chunk=0"))).getFirst(),
                    c.startProcesses(1, TestFunctions.class, OPTIONS.withTags(Set.of("chunk=1"))).getFirst());
            Futures futures = c.futures();

            AsCompleted<Long> completed = Futures.asCompleted(futures.map(PID,
                    IntStream.range(0, 500).boxed().toList())).timeout(WAIT);
            int seen = 0;
            for (List<TaskFuture<Long>> batch : completed.batches()) {
                seen += batch.size();
                batch.forEach(f -> assertThat(f.resultNow()).isIn(processes.get(0).pid(), processes.get(1).pid()));
            }
            assertThat(seen).isEqualTo(500);

            assertThat(Futures.gather(futures.map(PID, List.of(1, 2, 3), i -> Route.tag("chunk=1")), WAIT))
                    .containsOnly(processes.get(1).pid());

            TaskFuture<String> failing = futures.submit(FAIL, "bad input");
            assertThatThrownBy(() -> failing.result(WAIT)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
                assertThat(e.error().type()).isEqualTo(IllegalArgumentException.class.getName());
                assertThat(e.getCause().getStackTrace()).anySatisfy(frame ->
                        assertThat(frame.getClassName()).contains("FuturesProcessTest$TestFunctions"));
            });

            // The only worker with chunk=0 dies mid-task: its routed task waits for a replacement with the tag.
            TaskFuture<Long> routed = futures.submit(PID_AFTER_A_DEATH, 0, Route.tag("chunk=0"));
            while (c.task(routed.taskId()).orElseThrow().state() != TaskState.RUNNING) {
                Thread.sleep(20);
            }
            processes.get(0).kill();
            processes.get(0).waitFor(Duration.ofSeconds(10));
            WorkerProcess replacement = c.startProcesses(1, TestFunctions.class,
                    OPTIONS.withTags(Set.of("chunk=0"))).getFirst();

            assertThat(routed.result(WAIT)).isEqualTo(replacement.pid());
            assertThat(routed.task().orElseThrow().attempts()).isEqualTo(2);
            assertThat(c.workers()).filteredOn(w -> w.pid() == replacement.pid()).extracting(WorkerInfo::tags)
                    .containsExactly(Set.of("chunk=0"));
        }
    }

    @Test
    void workerCommand_functionsOption_takesAFunctionsClassOnly() {
        assertThat(WorkerMain.loop(null, TestFunctions.class.getName())).isInstanceOf(TestFunctions.class);
        assertThatThrownBy(() -> WorkerMain.loop(null, NoOpLoops.Queue.class.getName()))
                .isInstanceOf(StarlingException.class).hasMessageContaining("is not a Functions class; it must extend dev.starling.futures.Functions");
        assertThatThrownBy(() -> WorkerMain.loop("a.B", "c.D")).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("one of --loop");
    }
}
