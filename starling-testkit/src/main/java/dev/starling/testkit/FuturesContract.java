package dev.starling.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Route;
import dev.starling.Scheduler;
import dev.starling.StarlingException;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.Worker;
import dev.starling.WorkerOptions;
import dev.starling.futures.AsCompleted;
import dev.starling.futures.Functions;
import dev.starling.futures.Futures;
import dev.starling.futures.FuturesTimeoutException;
import dev.starling.futures.RouteUnservedException;
import dev.starling.futures.TaskFailedException;
import dev.starling.futures.TaskFunction;
import dev.starling.futures.TaskFuture;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The futures API's contract, run on every store: submit and map, results and remote failures, as-completed order,
 * adding while iterating, batches, wait and gather, cancelling before and during a run, and attaching to tasks from
 * another submitter. Workers are threads of this JVM running {@link Functions}; time is a {@link ManualScheduler}, so
 * a worker notices a cancelled running task exactly when a test moves time by a heartbeat period. No test sleeps.
 */
@Timeout(60)
public abstract class FuturesContract {
    /** How long a test waits for real work; never a measure of time in the runtime. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final WorkerOptions OPTIONS = WorkerOptions.builder().heartbeatPeriod(PERIOD)
            .pollTimeout(Duration.ofMillis(50)).build();

    static final TaskFunction<Double, Double> SQUARE = TaskFunction.of("square", Double.class, Double.class);
    /** Waits until the test opens the gate of its input, then returns the input. */
    static final TaskFunction<Integer, Integer> GATED = TaskFunction.of("gated", Integer.class, Integer.class);
    static final TaskFunction<String, String> FAIL = TaskFunction.of("fail", String.class, String.class);
    static final TaskFunction<Point, Point> MIRROR = TaskFunction.of("mirror", Point.class, Point.class);
    /** Returns the id of the worker that ran it, after the gate of its input opens when the input is positive. */
    static final TaskFunction<Integer, String> WHERE = TaskFunction.of("where", Integer.class, String.class);
    /** Returns the sum of the scattered vector named by its input, and the worker's local counter. */
    static final TaskFunction<String, Double> SUM_SCATTERED = TaskFunction.of("sum-scattered", String.class,
            Double.class);
    static final TaskFunction<Integer, Integer> LOCAL = TaskFunction.of("local", Integer.class, Integer.class);
    static final TaskFunction<double[], double[][]> OUTER = TaskFunction.of("outer", double[].class,
            double[][].class);

    /** A record input and output. */
    public record Point(double x, double y) {
    }

    protected ManualScheduler scheduler;
    protected Store store;
    private Network network;
    private Controller controller;
    private final Map<Integer, CountDownLatch> gates = new ConcurrentHashMap<>();
    private final Map<Integer, CountDownLatch> entered = new ConcurrentHashMap<>();
    private final AtomicInteger gatedRuns = new AtomicInteger();
    private final CountDownLatch interrupted = new CountDownLatch(1);
    private final AtomicInteger builds = new AtomicInteger();

    /** For the subclass that names the store under test. */
    protected FuturesContract() {
    }

    /** Opens the store under test, on {@code scheduler}. Called once per test. */
    protected abstract Store openStore(Scheduler scheduler);

    @BeforeEach
    void open(TestInfo info) {
        scheduler = new ManualScheduler();
        store = openStore(scheduler);
        network = Network.builder(store, info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime())
                .seed(5).create();
        controller = network.controller();
    }

    @AfterEach
    void close() {
        gates.values().forEach(CountDownLatch::countDown);
        controller.close();
        store.close();
    }

    private Functions functions() {
        return Functions.builder()
                .add(SQUARE, (x, task) -> x * x)
                .add(GATED, (i, task) -> {
                    gatedRuns.incrementAndGet();
                    entered(i).countDown();
                    try {
                        gate(i).await();
                    } catch (InterruptedException e) {
                        interrupted.countDown();
                        throw e;
                    }
                    return i;
                })
                .add(FAIL, (message, task) -> Thrower.fail(message))
                .add(MIRROR, (p, task) -> new Point(p.y(), p.x()))
                .add(WHERE, (i, task) -> {
                    if (i > 0) {
                        entered(i).countDown();
                        gate(i).await();
                    }
                    return task.worker().workerId();
                })
                .add(SUM_SCATTERED, (name, task) -> Arrays.stream(task.worker().scattered(name, double[].class)).sum())
                .add(LOCAL, (i, task) -> task.worker().local("built", w -> {
                    builds.incrementAndGet();
                    return 1_000;
                }) + i)
                .add(OUTER, (v, task) -> {
                    double[][] m = new double[v.length][v.length];
                    for (int r = 0; r < v.length; r++) {
                        for (int c = 0; c < v.length; c++) {
                            m[r][c] = r == c ? v[r] : v[r] * v[c];
                        }
                    }
                    return m;
                })
                .build();
    }

    private void startWorkers(int n) {
        controller.startWorkers(n, functions(), OPTIONS);
    }

    private Worker startTagged(String... tags) {
        return controller.startWorkers(1, functions(), OPTIONS.withTags(Set.of(tags))).getFirst();
    }

    private CountDownLatch gate(int i) {
        return gates.computeIfAbsent(i, k -> new CountDownLatch(1));
    }

    private CountDownLatch entered(int i) {
        return entered.computeIfAbsent(i, k -> new CountDownLatch(1));
    }

    private void open(int i) {
        gate(i).countDown();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("user code was reached").isTrue();
    }

    /** Throws from a named method, so the remote stack trace has a frame to look for. */
    static final class Thrower {
        private Thrower() {
        }

        static String fail(String message) {
            throw new IllegalStateException(message);
        }
    }

    // ---- submit and results

    @Test
    void submit_returnsTheOutputAndTheTaskThatComputedIt() throws Exception {
        startWorkers(2);
        TaskFuture<Double> f = controller.futures().submit(SQUARE, 3.0);

        assertThat(f.result(WAIT)).isEqualTo(9.0);
        assertThat(f.task().orElseThrow().state()).isEqualTo(TaskState.FINISHED);
        assertThat(f.task().orElseThrow().worker()).startsWith("w-");
        assertThat(controller.futures().pending()).isZero();
    }

    @Test
    void map_pushesOneTaskPerInputAndReturnsOutputsInOrder() throws Exception {
        startWorkers(2);
        List<TaskFuture<Point>> fs = controller.futures().map(MIRROR,
                List.of(new Point(1, 2), new Point(3, 4), new Point(5, 6)));

        assertThat(Futures.gather(fs, WAIT)).containsExactly(new Point(2, 1), new Point(4, 3), new Point(6, 5));
        assertThat(fs).extracting(TaskFuture::taskId).containsExactly(1L, 2L, 3L);
    }

    @Test
    void failingFunction_futureCarriesTheRemoteClassMessageStackTraceAndWorker() throws Exception {
        startWorkers(1);
        TaskFuture<String> f = controller.futures().submit(FAIL, "boom");

        assertThatThrownBy(() -> f.result(WAIT)).isInstanceOfSatisfying(TaskFailedException.class, e -> {
            assertThat(e.taskId()).isEqualTo(f.taskId());
            assertThat(e.worker()).startsWith("w-");
            assertThat(e.error().type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(e.error().message()).isEqualTo("boom");
            assertThat(e.getMessage()).contains("task " + f.taskId(), e.worker(), "IllegalStateException", "boom");
            TaskFailedException.RemoteException remote = (TaskFailedException.RemoteException) e.getCause();
            assertThat(remote.remoteType()).isEqualTo(IllegalStateException.class.getName());
            assertThat(remote.getStackTrace()).anySatisfy(frame -> {
                assertThat(frame.getClassName()).endsWith("FuturesContract$Thrower");
                assertThat(frame.getMethodName()).isEqualTo("fail");
                assertThat(frame.getLineNumber()).isPositive();
            });
        });
        assertThat(f.exception(WAIT)).containsInstanceOf(TaskFailedException.class);
    }

    @Test
    void unknownFunction_failsTheTaskSayingWhatTheWorkerHas() throws Exception {
        startWorkers(1);
        TaskFunction<Double, Double> missing = TaskFunction.of("missing", Double.class, Double.class);

        assertThatThrownBy(() -> controller.futures().submit(missing, 1.0).result(WAIT))
                .isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("'missing'").hasMessageContaining("square");
    }

    // ---- as completed, wait, gather

    @Test
    void asCompleted_yieldsFuturesInCompletionOrder() throws Exception {
        startWorkers(3);
        List<TaskFuture<Integer>> fs = controller.futures().map(GATED, List.of(0, 1, 2));
        for (int i = 0; i < 3; i++) {
            await(entered(i));
        }
        AsCompleted<Integer> completed = Futures.asCompleted(fs);

        List<Integer> order = new ArrayList<>();
        for (int i : new int[] {2, 0, 1}) {
            open(i);
            order.add(completed.next(WAIT).orElseThrow().resultNow());
        }

        assertThat(order).containsExactly(2, 0, 1);
        assertThat(completed.hasNext()).isFalse();
        assertThat(completed.next(WAIT)).isEmpty();
    }

    @Test
    void asCompleted_takesFuturesAddedWhileIterating() throws Exception {
        startWorkers(2);
        Futures futures = controller.futures();
        AsCompleted<Double> completed = Futures.asCompleted(futures.map(SQUARE, List.of(2.0, 3.0)));

        List<Double> seen = new ArrayList<>();
        for (TaskFuture<Double> f : completed) {
            double y = f.resultNow();
            seen.add(y);
            if (y < 50) {
                completed.add(futures.submit(SQUARE, y));
            }
        }

        assertThat(seen).containsExactlyInAnyOrder(4.0, 9.0, 16.0, 81.0, 256.0);
    }

    @Test
    void batches_yieldEverythingCompletedSinceTheLastCall() throws Exception {
        startWorkers(2);
        Futures futures = controller.futures();
        List<Integer> quickInputs = List.of(10, 11, 12, 13);
        quickInputs.forEach(this::open);
        List<TaskFuture<Integer>> all = new ArrayList<>(futures.map(GATED, quickInputs));
        Futures.gather(all, WAIT);
        TaskFuture<Integer> slow = futures.submit(GATED, 7);
        all.add(slow);

        List<List<TaskFuture<Integer>>> batches = new ArrayList<>();
        for (List<TaskFuture<Integer>> batch : Futures.asCompleted(all).batches()) {
            batches.add(batch);
            open(7);
        }

        assertThat(batches).hasSize(2);
        assertThat(batches.get(0)).hasSize(4).allMatch(f -> f.resultNow() >= 10);
        assertThat(batches.get(1)).containsExactly(slow);
    }

    @Test
    void asCompleted_holdsNoFutureItHasYielded() throws Exception {
        startWorkers(2);
        AsCompleted<Double> completed = Futures.asCompleted(controller.futures().map(SQUARE,
                Arrays.stream(new double[200]).boxed().toList()));
        List<WeakReference<TaskFuture<Double>>> yielded = new ArrayList<>();
        for (List<TaskFuture<Double>> batch : completed.batches()) {
            batch.forEach(f -> yielded.add(new WeakReference<>(f)));
        }

        // Dask's batches() kept every result alive (dask/distributed#5508); here only the caller holds them.
        for (int i = 0; i < 20 && yielded.stream().anyMatch(r -> r.get() != null); i++) {
            System.gc();
        }
        assertThat(yielded).hasSize(200).allMatch(r -> r.get() == null);
        assertThat(completed.hasNext()).isFalse();
        assertThat(controller.futures().pending()).isZero();
    }

    @Test
    void asCompleted_withATimeout_givesUpNamingWhatIsPending() throws Exception {
        startWorkers(1);
        AsCompleted<Integer> completed = Futures.asCompleted(List.of(controller.futures().submit(GATED, 1)))
                .timeout(Duration.ofMillis(20));

        assertThatThrownBy(() -> completed.iterator().next()).isInstanceOf(FuturesTimeoutException.class)
                .hasMessageContaining("1 still pending");
    }

    @Test
    void await_returnsOnFirstCompletedOrWhenAllAreDone() throws Exception {
        startWorkers(2);
        Futures futures = controller.futures();
        TaskFuture<Integer> slow = futures.submit(GATED, 1);
        TaskFuture<Integer> quick = futures.submit(GATED, 2);
        open(2);

        Futures.Done<Integer> first = Futures.await(List.of(slow, quick), Futures.Until.FIRST_COMPLETED, WAIT);
        assertThat(first.done()).containsExactly(quick);
        assertThat(first.notDone()).containsExactly(slow);

        Futures.Done<Integer> timedOut = Futures.await(List.of(slow, quick), Futures.Until.ALL_COMPLETED,
                Duration.ofMillis(20));
        assertThat(timedOut.notDone()).containsExactly(slow);

        open(1);
        Futures.Done<Integer> all = Futures.await(List.of(slow, quick), Futures.Until.ALL_COMPLETED, WAIT);
        assertThat(all.done()).containsExactly(slow, quick);
        assertThat(all.notDone()).isEmpty();
    }

    @Test
    void gather_failsWithTheFirstFailure() {
        startWorkers(2);
        Futures futures = controller.futures();
        TaskFuture<String> failing = futures.submit(FAIL, "no");

        assertThatThrownBy(() -> Futures.gather(List.of(failing), WAIT)).isInstanceOf(TaskFailedException.class)
                .hasMessageContaining("no");
    }

    // ---- cancel

    @Test
    void cancel_ofAQueuedTask_meansItNeverRunsAndItIsYieldedAsCancelled() throws Exception {
        startWorkers(1);
        Futures futures = controller.futures();
        TaskFuture<Integer> busy = futures.submit(GATED, 1);
        await(entered(1));
        TaskFuture<Integer> queued = futures.submit(GATED, 2);

        assertThat(queued.cancel(true)).isTrue();
        open(1);
        open(2);
        List<TaskFuture<Integer>> yielded = new ArrayList<>();
        Futures.asCompleted(List.of(busy, queued)).forEach(yielded::add);

        assertThat(yielded).containsExactlyInAnyOrder(busy, queued);
        assertThat(queued.isCancelled()).isTrue();
        assertThatThrownBy(() -> queued.result(WAIT)).isInstanceOf(CancellationException.class);
        assertThat(busy.resultNow()).isEqualTo(1);
        assertThat(futures.submit(SQUARE, 2.0).result(WAIT)).isEqualTo(4.0);
        assertThat(gatedRuns.get()).isEqualTo(1);
        assertThat(controller.task(queued.taskId()).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void cancel_ofARunningTask_interruptsItsHandlerAndTheWorkerGoesOn() throws Exception {
        startWorkers(1);
        Futures futures = controller.futures();
        TaskFuture<Integer> running = futures.submit(GATED, 1);
        await(entered(1));

        assertThat(running.cancel(true)).isTrue();
        scheduler.advance(PERIOD);
        await(interrupted);

        assertThat(running.isCancelled()).isTrue();
        assertThat(futures.submit(SQUARE, 5.0).result(WAIT)).isEqualTo(25.0);
        assertThat(controller.task(running.taskId()).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
        assertThat(controller.counts().failed()).isZero();
    }

    @Test
    void cancel_ofAFinishedTask_returnsFalseAndKeepsTheResult() throws Exception {
        startWorkers(1);
        TaskFuture<Double> f = controller.futures().submit(SQUARE, 4.0);
        f.result(WAIT);

        assertThat(f.cancel(true)).isFalse();
        assertThat(f.resultNow()).isEqualTo(16.0);
    }

    @Test
    void cancelMany_inOneCall_cancelsThoseNotStarted() throws Exception {
        startWorkers(1);
        Futures futures = controller.futures();
        TaskFuture<Integer> busy = futures.submit(GATED, 0);
        await(entered(0));
        List<TaskFuture<Integer>> rest = futures.map(GATED, List.of(1, 2, 3, 4));

        assertThat(futures.cancel(rest)).isEqualTo(4);
        assertThat(rest).allMatch(TaskFuture::isCancelled);
        open(0);
        assertThat(busy.result(WAIT)).isZero();
        assertThat(controller.counts().cancelled()).isEqualTo(4);
    }

    // ---- data on the workers

    @Test
    void routedFunction_runsOnlyOnTheWorkerThatCarriesTheTag() throws Exception {
        Worker zero = startTagged("chunk=0");
        Worker one = startTagged("chunk=1");
        Futures futures = controller.futures();

        List<TaskFuture<String>> toOne = futures.map(WHERE, List.of(0, 0, 0, 0, 0, 0), i -> Route.tag("chunk=1"));
        TaskFuture<String> toZero = futures.submit(WHERE, 0, Route.tag("chunk=0"));
        TaskFuture<String> byId = futures.submit(WHERE, 0, Route.worker(zero.id()));

        assertThat(Futures.gather(toOne, WAIT)).containsOnly(one.id());
        assertThat(toZero.result(WAIT)).isEqualTo(zero.id());
        assertThat(byId.result(WAIT)).isEqualTo(zero.id());
    }

    @Test
    void workerKilledMidTask_itsRoutedTaskRunsOnAReplacementWithTheTag() throws Exception {
        Worker first = startTagged("chunk=3");
        TaskFuture<String> f = controller.futures().submit(WHERE, 1, Route.tag("chunk=3"));
        await(entered(1));

        first.kill();
        assertThat(controller.task(f.taskId()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        open(1);
        Worker replacement = startTagged("chunk=3");

        assertThat(f.result(WAIT)).isEqualTo(replacement.id());
        assertThat(f.task().orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void routedTask_thatNoWorkerServesForTheLimit_failsAndIsCancelled() throws Exception {
        startWorkers(1);
        Futures futures = controller.futures().failUnservedRoutesAfter(Duration.ofSeconds(5));
        TaskFuture<Double> orphan = futures.submit(SQUARE, 2.0, Route.tag("nobody"));
        TaskFuture<Double> served = futures.submit(SQUARE, 3.0);

        for (int s = 0; s < 6; s++) {
            scheduler.advance(PERIOD);
        }

        assertThat(served.result(WAIT)).isEqualTo(9.0);
        assertThatThrownBy(() -> orphan.result(WAIT)).isInstanceOfSatisfying(RouteUnservedException.class, e -> {
            assertThat(e.route()).isEqualTo(Route.tag("nobody"));
            assertThat(e.getMessage()).contains("routed to tag nobody, which no running worker served for PT5S", "--tags nobody");
        });
        assertThat(controller.task(orphan.taskId()).orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void routedTask_waitsWithinTheLimitForAWorkerWithItsTag() throws Exception {
        Futures futures = controller.futures().failUnservedRoutesAfter(Duration.ofSeconds(5));
        TaskFuture<Double> f = futures.submit(SQUARE, 4.0, Route.tag("late"));
        for (int s = 0; s < 4; s++) {
            scheduler.advance(PERIOD);
        }

        startTagged("late");
        assertThat(f.result(WAIT)).isEqualTo(16.0);
        for (int s = 0; s < 6; s++) {
            scheduler.advance(PERIOD);
        }
        assertThat(f.resultNow()).isEqualTo(16.0);
    }

    @Test
    void workerLocalData_isBuiltOncePerWorker() throws Exception {
        startWorkers(2);
        List<Integer> inputs = IntStream.range(0, 40).boxed().toList();

        List<Integer> outputs = Futures.gather(controller.futures().map(LOCAL, inputs), WAIT);

        assertThat(outputs).isEqualTo(inputs.stream().map(i -> i + 1_000).toList());
        assertThat(builds.get()).isBetween(1, 2);
    }

    @Test
    void scatter_isReadOncePerWorkerAndKeptThere() throws Exception {
        Worker first = startTagged("a");
        Futures futures = controller.futures();
        futures.scatter("v", new double[] {1, 2, 3});
        assertThat(futures.submit(SUM_SCATTERED, "v", Route.tag("a")).result(WAIT)).isEqualTo(6.0);

        // Scattering anew is seen only by workers that had not read the value yet.
        futures.scatter("v", new double[] {10, 20});
        assertThat(futures.submit(SUM_SCATTERED, "v", Route.worker(first.id())).result(WAIT)).isEqualTo(6.0);
        startTagged("b");
        assertThat(futures.submit(SUM_SCATTERED, "v", Route.tag("b")).result(WAIT)).isEqualTo(30.0);
        assertThat(network.attribute("scatter:v")).hasValueSatisfying(json -> assertThat(json).contains("f64"));
    }

    @Test
    void scattered_unknownName_failsTheTaskSayingWhatToDo() {
        startWorkers(1);

        assertThatThrownBy(() -> controller.futures().submit(SUM_SCATTERED, "nothing").result(WAIT))
                .isInstanceOf(TaskFailedException.class).hasMessageContaining("nothing was scattered under 'nothing'");
    }

    @Test
    void numericArrays_travelInBinaryForm_bitForBit() throws Exception {
        startWorkers(1);
        double[] v = {0.1, -0.0, Double.MIN_VALUE, Double.NaN, 1e308, -7.25};

        TaskFuture<double[][]> f = controller.futures().submit(OUTER, v);
        double[][] m = f.result(WAIT);

        for (int r = 0; r < v.length; r++) {
            for (int c = 0; c < v.length; c++) {
                double expected = r == c ? v[r] : v[r] * v[c];
                assertThat(Double.doubleToRawLongBits(m[r][c])).isEqualTo(Double.doubleToRawLongBits(expected));
            }
        }
        Task task = controller.task(f.taskId()).orElseThrow();
        assertThat(task.xsJson()).contains("\"f64\"").doesNotContain("0.1");
        assertThat(task.ysJson()).contains("\"rows\":6").contains("\"cols\":6");
    }

    // ---- a submitter that goes away

    @Test
    void attach_fromAnotherSubmitter_readsTheResultsOfTasksItDidNotSubmit() throws Exception {
        startWorkers(2);
        Futures first = Futures.on(network);
        List<TaskFuture<Integer>> submitted = first.map(GATED, List.of(1, 2, 3));
        open(1);
        submitted.getFirst().result(WAIT);
        first.close();
        assertThatThrownBy(() -> submitted.get(1).result(WAIT)).isInstanceOf(StarlingException.class)
                .hasMessageContaining("attach");

        try (Futures second = Futures.on(network)) {
            List<TaskFuture<Integer>> attached = second.attach(GATED,
                    submitted.stream().map(TaskFuture::taskId).toList());
            open(2);
            open(3);

            assertThat(Futures.gather(attached, WAIT)).containsExactly(1, 2, 3);
        }
    }

    @Test
    void manyFutures_allComplete_andNothingStaysPending() throws Exception {
        startWorkers(4);
        Futures futures = controller.futures();
        List<Double> inputs = Arrays.stream(new double[2_000]).boxed().toList();
        int seen = 0;
        for (List<TaskFuture<Double>> batch : Futures.asCompleted(futures.map(SQUARE, inputs)).batches()) {
            seen += batch.size();
        }

        assertThat(seen).isEqualTo(2_000);
        assertThat(futures.pending()).isZero();
        assertThat(controller.counts().finished()).isEqualTo(2_000);
    }
}
