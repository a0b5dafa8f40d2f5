package dev.starling.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.FreeLoop;
import dev.starling.LogEvent;
import dev.starling.MetricPoint;
import dev.starling.MetricRecorder;
import dev.starling.Network;
import dev.starling.PayloadException;
import dev.starling.Scheduler;
import dev.starling.StopRequest;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskPage;
import dev.starling.TaskState;
import dev.starling.Worker;
import dev.starling.WorkerExit;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerSession;
import dev.starling.WorkerState;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The worker runtime's contract, run on every store: queue and free loops, failures of user code, task timeouts,
 * terminate and kill, lost workers and their recovery, rejoining, budgets, ask/tell sessions. Workers run on real
 * threads; time is a {@link ManualScheduler}, so heartbeats, sweeps and timeouts happen exactly when a test moves it,
 * and no test sleeps. A store's test subclasses this and says how to open the store on a scheduler.
 */
@Timeout(60)
public abstract class RuntimeContract {
    /** How long a test waits for real work (threads finishing tasks); never a measure of time in the runtime. */
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final Duration PERIOD = Duration.ofSeconds(1);
    private static final WorkerOptions OPTIONS = WorkerOptions.builder().heartbeatPeriod(PERIOD)
            .pollTimeout(Duration.ofMillis(50)).build();

    record Point(double x) {
    }

    record Square(double y) {
    }

    record Eval(double x, double y) {
    }

    record Noted(double y, String note) {
    }

    protected ManualScheduler scheduler;
    protected Store store;
    private String prefix;
    private Controller controller;

    /** For the subclass that names the store under test. */
    protected RuntimeContract() {
    }

    /** Opens the store under test, on {@code scheduler}. Called once per test. */
    protected abstract Store openStore(Scheduler scheduler);

    @BeforeEach
    void open(TestInfo info) {
        scheduler = new ManualScheduler();
        store = openStore(scheduler);
        prefix = info.getTestMethod().orElseThrow().getName() + "-" + System.nanoTime() + "-";
    }

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
        store.close();
    }

    private Network network(String name) {
        return Network.builder(store, prefix + name).seed(3).create();
    }

    private Network network(String name, long budget) {
        return Network.builder(store, prefix + name).seed(1).budget(budget).create();
    }

    private Controller controller(Network network) {
        controller = network.controller();
        return controller;
    }

    private NetworkStore state(Network network) {
        return StoreBackend.of(store).network(network.name());
    }

    /** Moves time forward one heartbeat period at a time, so each worker heartbeats and sweeps {@code beats} times. */
    private void heartbeats(int beats) {
        for (int i = 0; i < beats; i++) {
            scheduler.advance(PERIOD);
        }
    }

    private static List<Map<String, Object>> points(int n) {
        return IntStream.range(0, n).<Map<String, Object>>mapToObj(i -> Map.of("x", (double) i)).toList();
    }

    private static void await(CountDownLatch latch) throws InterruptedException {
        assertThat(latch.await(WAIT.toSeconds(), TimeUnit.SECONDS)).as("user code was reached").isTrue();
    }

    // ---- queue loops

    @Test
    void queueLoop_workersFinishEveryTaskWithItsOutputs() throws Exception {
        Controller c = controller(network("squares"));
        c.startWorkers(4, task -> new Square(Math.pow(task.xs(Point.class).x(), 2)), OPTIONS);

        List<Long> ids = c.push(points(200));

        assertThat(c.await(ids, WAIT)).isTrue();
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 200, 0));
        assertThat(c.results(Eval.class)).hasSize(200).allSatisfy(e -> assertThat(e.y()).isEqualTo(e.x() * e.x()));
        assertThat(c.finished()).extracting(Task::attempts).containsOnly(1);
    }

    @Test
    void handlerException_failsTheTaskWithItsErrorAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(network("errors"));
        c.startWorkers(1, task -> {
            double x = task.xs(Point.class).x();
            if (x % 2 == 0) {
                throw new IllegalStateException("even x=" + x);
            }
            return Map.of("y", x);
        }, OPTIONS);

        assertThat(c.await(c.push(points(10)), WAIT)).isTrue();

        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 5, 5));
        Task failed = c.tasks(TaskState.FAILED).getFirst();
        assertThat(failed.error().kind()).isEqualTo(TaskError.Kind.EXCEPTION);
        assertThat(failed.error().type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.error().message()).startsWith("even x=");
        assertThat(failed.error().stackTrace()).contains("RuntimeContract");
        String worker = failed.worker();
        assertThat(c.log(worker)).anySatisfy(e -> {
            assertThat(e.level()).isEqualTo(LogEvent.Level.WARN);
            assertThat(e.message()).contains("task " + failed.id()).contains("IllegalStateException");
        });
    }

    @Test
    void nanInOutputs_failsTheTaskNamingTheField_andTheWorkerGoesOn() throws Exception {
        Controller c = controller(network("nan-output"));
        c.startWorkers(1, task -> {
            double x = task.xs(Point.class).x();
            return Map.of("y", x < 0 ? Double.NaN : x);
        }, OPTIONS);

        long nan = c.push(Map.of("x", -1.0));
        long good = c.push(Map.of("x", 2.0));

        assertThat(c.await(List.of(nan, good), WAIT)).isTrue();
        Task failed = c.task(nan).orElseThrow();
        assertThat(failed.state()).isEqualTo(TaskState.FAILED);
        assertThat(failed.error().message()).contains("field 'y' is NaN, which JSON cannot hold");
        assertThat(c.task(good).orElseThrow().ys()).containsEntry("y", 2.0);
    }

    @Test
    void tenMegabytePayloads_goThroughAndBackIntact() throws Exception {
        Controller c = controller(network("big-payload"));
        String blob = "0123456789".repeat(1 << 20);
        c.startWorkers(1, task -> Map.of("echo", task.xs().get("blob")), OPTIONS);

        long id = c.push(Map.of("blob", blob));

        assertThat(c.await(List.of(id), WAIT)).isTrue();
        assertThat(c.task(id).orElseThrow().ys().get("echo")).isEqualTo(blob);
    }

    @Test
    void unreadableInputs_failWithCauseInvalidInput_andBadOutputsFailToo() throws Exception {
        Controller c = controller(network("bad-input"));
        c.startWorkers(1, task -> {
            Point p = task.xs(Point.class);
            return p.x() > 5 ? "not an object" : Map.of("y", p.x());
        }, OPTIONS);

        long bad = c.push(Map.of("x", "not a number"));
        long wrongOutput = c.push(Map.of("x", 9.0));
        long good = c.push(Map.of("x", 1.0));

        assertThat(c.await(List.of(bad, wrongOutput, good), WAIT)).isTrue();
        assertThat(c.task(bad).orElseThrow().error().kind()).isEqualTo(TaskError.Kind.INVALID_INPUT);
        assertThat(c.task(wrongOutput).orElseThrow().error().message()).contains("must be a JSON object");
        assertThat(c.task(good).orElseThrow().state()).isEqualTo(TaskState.FINISHED);
    }

    @Test
    void taskTimeout_failsTheTaskWithCauseTimeout_interruptsItAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(network("timeouts"));
        WorkerOptions options = WorkerOptions.builder().heartbeatPeriod(PERIOD).pollTimeout(Duration.ofMillis(50))
                .taskTimeout(Duration.ofSeconds(10)).build();
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        c.startWorkers(1, task -> {
            if (task.xs(Point.class).x() == 0) {
                inside.countDown();
                try {
                    new CountDownLatch(1).await();
                } catch (InterruptedException e) {
                    interrupted.countDown();
                    throw e;
                }
            }
            return Map.of("y", 1);
        }, options);
        List<Long> ids = c.push(points(3));
        await(inside);

        scheduler.advance(Duration.ofSeconds(9));
        assertThat(c.task(ids.getFirst()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
        scheduler.advance(Duration.ofSeconds(1));

        await(interrupted);
        assertThat(c.await(ids, WAIT)).isTrue();
        Task slow = c.task(ids.getFirst()).orElseThrow();
        assertThat(slow.state()).isEqualTo(TaskState.FAILED);
        assertThat(slow.error().kind()).isEqualTo(TaskError.Kind.TIMEOUT);
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 2, 1));
    }

    // ---- stopping workers

    @Test
    void terminate_letsTheCurrentTaskFinishThenStops() throws Exception {
        Controller c = controller(network("terminate"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Worker worker = c.startWorkers(1, task -> {
            inside.countDown();
            release.await();
            return Map.of("y", 1);
        }, OPTIONS).getFirst();
        c.push(points(5));
        await(inside);

        c.terminateWorkers();
        release.countDown();

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(c.counts()).isEqualTo(new TaskCounts(4, 0, 1, 0));
        assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.TERMINATED);
        assertThat(worker.exit()).hasValueSatisfying(e -> assertThat(e.cause())
                .isEqualTo(WorkerExit.Cause.TERMINATED));
    }

    @Test
    void terminateRequest_reachesAWorkerThatAnotherControllerStarted_throughItsHeartbeat() throws Exception {
        Network network = network("remote-terminate");
        Worker worker = network.startWorker((dev.starling.QueueLoop) task -> Map.of("y", 1), OPTIONS);
        Controller c = controller(network);

        c.terminateWorkers();
        assertThat(worker.isStopped()).isFalse();
        heartbeats(1);

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.TERMINATED);
    }

    @Test
    void kill_stopsAtOnceAndRequeuesTheRunningTask() throws Exception {
        Controller c = controller(network("kill"));
        CountDownLatch inside = new CountDownLatch(1);
        Worker worker = c.startWorkers(1, task -> {
            inside.countDown();
            new CountDownLatch(1).await();
            return Map.of("y", 1);
        }, OPTIONS).getFirst();
        long id = c.push(Map.of("x", 1.0));
        await(inside);

        worker.kill();

        assertThat(worker.join(WAIT)).isTrue();
        Task task = c.task(id).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.QUEUED);
        assertThat(task.attempts()).isEqualTo(1);
        WorkerInfo info = c.workers().getFirst();
        assertThat(info.state()).isEqualTo(WorkerState.KILLED);
        assertThat(info.recovered()).isEqualTo(1);
        assertThat(worker.exit()).hasValueSatisfying(e -> assertThat(e.cause()).isEqualTo(WorkerExit.Cause.KILLED));

        c.startWorkers(1, t -> Map.of("y", 2), OPTIONS);
        assertThat(c.await(List.of(id), WAIT)).isTrue();
        assertThat(c.task(id).orElseThrow().attempts()).isEqualTo(2);
    }

    // ---- lost workers

    @Test
    void lostWorker_isDetectedByAnotherWorkersHeartbeatAndItsTaskRecovered() throws Exception {
        Network network = network("lost");
        Controller c = controller(network);
        long id = c.push(Map.of("x", 3.0));
        // A worker that claims a task and dies: it registers and never heartbeats again.
        state(network).workers().register("ghost", "elsewhere", 1, OPTIONS.heartbeatExpiry());
        assertThat(state(network).tasks().claim("ghost", Duration.ZERO)).isPresent();
        c.startWorkers(1, task -> Map.of("y", 9), OPTIONS);

        heartbeats(3);
        assertThat(state(network).workers().get("ghost").orElseThrow().state()).isEqualTo(WorkerState.RUNNING);
        heartbeats(1);

        assertThat(c.await(List.of(id), WAIT)).isTrue();
        Task task = c.task(id).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.FINISHED);
        assertThat(task.attempts()).isEqualTo(2);
        WorkerInfo ghost = state(network).workers().get("ghost").orElseThrow();
        assertThat(ghost.state()).isEqualTo(WorkerState.LOST);
        assertThat(ghost.recovered()).isEqualTo(1);
    }

    @Test
    void workerDeclaredLostWhileAlive_rejoinsUnderANewIdAndGoesOn() throws Exception {
        Network network = network("rejoin");
        Controller c = controller(network);
        Worker worker = c.startWorkers(1, task -> Map.of("y", 1), OPTIONS).getFirst();
        String first = worker.id();
        assertThat(c.await(c.push(points(3)), WAIT)).isTrue();

        state(network).retire(first, WorkerState.LOST);
        heartbeats(1);
        assertThat(c.await(c.push(points(3)), WAIT)).isTrue();

        assertThat(worker.id()).isNotEqualTo(first);
        assertThat(worker.isStopped()).isFalse();
        assertThat(c.workers()).extracting(WorkerInfo::id, WorkerInfo::state).containsExactly(
                org.assertj.core.groups.Tuple.tuple(first, WorkerState.LOST),
                org.assertj.core.groups.Tuple.tuple(worker.id(), WorkerState.RUNNING));
        assertThat(c.finished()).hasSize(6).extracting(Task::worker).endsWith(worker.id(), worker.id(), worker.id());
        assertThat(c.log(worker.id())).anySatisfy(e -> assertThat(e.message()).contains("rejoined the network")
                .contains(first));
    }

    @Test
    void heartbeatsMissedWhileNobodyReachedTheStore_makeNobodyLost() throws Exception {
        Network network = network("silence");
        Controller c = controller(network);
        c.startWorkers(2, task -> Map.of("y", 1), OPTIONS);
        heartbeats(2);

        // Nothing ran for a minute (the store, or this process, was stopped): no heartbeat, no sweep.
        scheduler.manualClock().advance(Duration.ofMinutes(1));
        heartbeats(2);

        assertThat(c.workers()).hasSize(2).extracting(WorkerInfo::state).containsOnly(WorkerState.RUNNING);
        assertThat(c.await(c.push(points(4)), WAIT)).isTrue();
    }

    @Test
    void silenceShorterThanTheControllersSecondButLongerThanTheExpiry_makesNobodyLost() throws Exception {
        // Regression: the controller swept every second whatever the workers' heartbeats, so it took a gap of 1.5 s
        // for steady contact and declared workers with a 300 ms expiry lost. Now it sweeps at their period.
        Duration period = Duration.ofMillis(100);
        WorkerOptions fast = WorkerOptions.builder().heartbeatPeriod(period).pollTimeout(Duration.ofMillis(50))
                .build();
        Network network = network("short-silence");
        Controller c = controller(network);
        c.startWorkers(2, task -> Map.of("y", 1), fast);
        scheduler.advance(Duration.ofMillis(500));

        // 1.4 s pass with no timer run; the controller sweeps first when time resumes.
        scheduler.manualClock().advance(Duration.ofMillis(1_400));

        assertThat(c.recoverLostWorkers()).isEmpty();
        assertThat(c.workers()).hasSize(2).extracting(WorkerInfo::state).containsOnly(WorkerState.RUNNING);
    }

    // ---- free loops

    @Test
    void freeLoop_stopsAtExactlyTheBudgetWith16Workers() throws Exception {
        Controller c = controller(network("budget", 1_000));
        AtomicInteger evaluations = new AtomicInteger();
        List<Worker> workers = c.startWorkers(16, FreeLoop.of(w -> Map.of("x", w.random().nextDouble()), task -> {
            evaluations.incrementAndGet();
            return Map.of("y", 0);
        }), OPTIONS);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(evaluations.get()).isEqualTo(1_000);
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 1_000, 0));
        assertThat(c.workers()).hasSize(16).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
        assertThat(c.log(c.workers().getFirst().id())).last().extracting(LogEvent::message).asString()
                .contains("budget of 1000 tasks is used up");
        assertThat(workers).allSatisfy(w -> assertThat(w.exit()).hasValueSatisfying(e ->
                assertThat(e.cause()).isEqualTo(WorkerExit.Cause.COMPLETED)));
    }

    @Test
    void freeLoop_proposalException_becomesAFailedTaskAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(network("propose", 10));
        AtomicInteger calls = new AtomicInteger();
        c.startWorkers(1, FreeLoop.of(w -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new ArithmeticException("no proposal");
            }
            return Map.of("x", 1);
        }, task -> Map.of("y", 1)), OPTIONS);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 5, 5));
        assertThat(c.tasks(TaskState.FAILED)).allSatisfy(t ->
                assertThat(t.error().type()).isEqualTo(ArithmeticException.class.getName()));
    }

    @Test
    void freeLoop_proposingNull_stopsTheWorkerWithoutCreatingATask() throws Exception {
        Controller c = controller(network("stop"));
        c.startWorkers(2, FreeLoop.of(w -> {
            w.archive().update();
            return w.archive().size() >= 6 ? null : Map.of("x", 1);
        }, task -> Map.of("y", 1)), OPTIONS);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.counts().running()).isZero();
        assertThat(c.counts().finished()).isBetween(6L, 7L);
        assertThat(c.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
        assertThat(c.log(c.workers().getFirst().id())).last().extracting(LogEvent::message).asString()
                .contains("nothing more to propose");
    }

    @Test
    void freeLoop_takesQueuedTasksBeforeProposing() throws Exception {
        Network network = network("design", 8);
        Controller c = controller(network);
        c.push(points(5));
        c.startWorkers(1, FreeLoop.of(w -> Map.of("x", -1.0), task -> Map.of("y", 0)), OPTIONS);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.finished()).extracting(t -> t.xs().get("x"))
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, -1.0, -1.0, -1.0);
    }

    @Test
    void sameSeedAndOneWorker_giveIdenticalResults() throws Exception {
        assertThat(randomSearch(7, "a")).isEqualTo(randomSearch(7, "b")).isNotEqualTo(randomSearch(8, "c"));
    }

    private List<String> randomSearch(long seed, String name) throws Exception {
        try (Controller c = Network.builder(store, prefix + "seeded-" + name).seed(seed).budget(50).create()
                .controller()) {
            c.startWorkers(1, FreeLoop.of(
                    w -> Map.of("x", w.random().nextDouble()),
                    task -> Map.of("y", task.xs(Point.class).x() + task.random().nextGaussian())), OPTIONS);
            assertThat(c.awaitWorkers(WAIT)).isTrue();
            return c.finished().stream().map(t -> t.xsJson() + t.ysJson()).toList();
        }
    }

    // ---- ask / tell sessions

    @Test
    void session_createsAndFinishesTasksStaysAliveAndRetiresOnClose() throws Exception {
        Network network = network("ask", 3);
        Task second;
        try (WorkerSession session = network.openSession(OPTIONS)) {
            Task first = session.create(Map.of("x", 1.0)).orElseThrow();
            second = session.create(Map.of("x", 2.0)).orElseThrow();
            assertThat(network.tasks(TaskState.RUNNING)).extracting(Task::worker).containsOnly(session.workerId());
            heartbeats(10);
            assertThat(state(network).workers().get(session.workerId()).orElseThrow().state())
                    .isEqualTo(WorkerState.RUNNING);

            assertThat(session.finish(first, Map.of("y", 1.0))).isTrue();
            assertThat(session.finish(first, Map.of("y", 9.0))).isFalse();
            assertThat(session.create(Map.of("x", 3.0))).isPresent();
            assertThat(session.create(Map.of("x", 4.0))).isEmpty();
        }

        assertThat(network.tasks(TaskState.FINISHED)).extracting(t -> t.ys().get("y")).containsExactly(1.0);
        assertThat(network.tasks(TaskState.QUEUED)).extracting(Task::id).contains(second.id());
        assertThat(controller(network).workers()).extracting(WorkerInfo::state)
                .containsOnly(WorkerState.TERMINATED);
    }

    @Test
    void session_stopsOnTerminate_creatingNothingMoreButFinishingWhatItHas() throws Exception {
        Network network = network("ask-terminate");
        Controller c = controller(network);
        try (WorkerSession session = network.openSession(OPTIONS)) {
            Task task = session.create(Map.of("x", 1.0)).orElseThrow();

            c.terminateWorkers();
            heartbeats(1);

            assertThat(session.isStopping()).isTrue();
            assertThat(session.create(Map.of("x", 2.0))).isEmpty();
            assertThat(session.finish(task, Map.of("y", 1.0))).isTrue();
        }
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 1, 0));
        assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.TERMINATED);
    }

    @Test
    void session_stopsOnKill_andItsRunningTaskIsRecovered() throws Exception {
        Network network = network("ask-kill");
        Controller c = controller(network);
        try (WorkerSession session = network.openSession(OPTIONS)) {
            Task task = session.create(Map.of("x", 1.0)).orElseThrow();

            c.killWorkers();
            heartbeats(1);

            assertThat(session.isStopping()).isTrue();
            assertThat(session.create(Map.of("x", 2.0))).isEmpty();
            assertThat(session.finish(task, Map.of("y", 1.0))).isFalse();
            assertThat(c.task(task.id()).orElseThrow().state()).isEqualTo(TaskState.QUEUED);
        }
        assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.KILLED);
    }

    @Test
    void networkRequestStop_reachesSessionsWithoutAController_andCountsThoseAsked() throws Exception {
        Network network = network("request-stop");
        try (WorkerSession first = network.openSession(OPTIONS);
             WorkerSession second = network.openSession(OPTIONS)) {
            second.close();

            assertThat(network.requestStop(StopRequest.TERMINATE)).as("only running workers are asked").isEqualTo(1);
            heartbeats(1);

            assertThat(first.isStopping()).isTrue();
        }
    }

    @Test
    void networkCancelQueued_cancelsWhatIsQueued_andLeavesRunningAndDoneTasks() throws Exception {
        Network network = network("cancel-queued");
        Controller c = controller(network);
        try (WorkerSession session = network.openSession(OPTIONS)) {
            Task running = session.create(Map.of("x", 1.0)).orElseThrow();
            Task done = session.create(Map.of("x", 2.0)).orElseThrow();
            session.finish(done, Map.of("y", 4.0));
            List<Long> queued = c.push(points(3));

            assertThat(network.cancelQueued()).isEqualTo(3);
            assertThat(network.cancelQueued()).isZero();

            assertThat(network.tasks(TaskState.CANCELLED)).extracting(Task::id).containsExactlyElementsOf(queued);
            assertThat(c.task(running.id()).orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            assertThat(session.finish(running, Map.of("y", 1.0))).isTrue();
        }
    }

    @Test
    void networkCompletedSince_pagesThroughCompletionsOnce_andRejectsBadArguments() throws Exception {
        Network network = network("completed-since");
        try (WorkerSession session = network.openSession(OPTIONS)) {
            for (int i = 0; i < 5; i++) {
                session.finish(session.create(Map.of("x", (double) i)).orElseThrow(), Map.of("y", 1.0));
            }
            TaskPage first = network.completedSince(0, 3);
            TaskPage rest = network.completedSince(first.cursor(), 3);

            assertThat(first.tasks()).hasSize(3);
            assertThat(rest.tasks()).hasSize(2);
            assertThat(network.completedSince(rest.cursor(), 3).tasks()).isEmpty();
            assertThat(Stream.concat(first.tasks().stream(), rest.tasks().stream()).map(Task::id).toList())
                    .doesNotHaveDuplicates().hasSize(5);
        }
        assertThatThrownBy(() -> network.completedSince(-1, 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cursor");
        assertThatThrownBy(() -> network.completedSince(0, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("limit");
    }

    @Test
    void metricRecorder_writesAtMostOncePerPeriod_keepingTheLatestPointOfEach() {
        Network network = network("metrics");
        try (MetricRecorder recorder = MetricRecorder.on(network, Duration.ofMillis(100))) {
            recorder.record(Map.of("loss", 5.0));
            assertThat(network.metrics(0, 10)).as("the first point is written at once").hasSize(1);
            recorder.record(Map.of("loss", 4.0));
            scheduler.advance(Duration.ofMillis(40));
            recorder.record(Map.of("loss", 3.0));
            assertThat(network.metrics(0, 10)).as("held until the period has passed").hasSize(1);

            scheduler.advance(Duration.ofMillis(70));
            recorder.record(Map.of("loss", 2.0, "gap", Double.NaN));
            List<MetricPoint> written = network.metrics(0, 10);
            assertThat(written).extracting(p -> p.values().get("loss")).containsExactly(5.0, 3.0, 2.0);
            assertThat(written.getLast().values()).as("NaN is left out").containsOnlyKeys("loss");

            recorder.record(Map.of("loss", 1.0));
        }
        assertThat(network.metrics(3, 10)).as("close writes what is held").extracting(p -> p.values().get("loss"))
                .containsExactly(1.0);
        assertThatThrownBy(() -> network.metrics(-1, 1)).isInstanceOf(IllegalArgumentException.class);
    }

    // ---- results

    @Test
    void csv_hasOneColumnPerInputAndOutput() throws Exception {
        Controller c = controller(network("csv"));
        c.startWorkers(1, task -> new Noted(2.5, "a,b"), OPTIONS);
        assertThat(c.await(c.push(List.of(Map.of("x", 1.0))), WAIT)).isTrue();

        StringWriter out = new StringWriter();
        c.writeCsv(c.completed(), out);

        List<String> lines = out.toString().lines().toList();
        assertThat(lines.getFirst()).isEqualTo(
                "id,state,worker,attempts,seed,created,started,finished,x,y,note,error_kind,error");
        assertThat(lines.get(1)).startsWith("1,FINISHED,w-").contains(",1.0,2.5,\"a,b\",,");
    }

    @Test
    void push_ofANonObject_isRejectedAndNothingIsPushed() {
        Controller c = controller(network("reject"));

        assertThatThrownBy(() -> c.push(List.of(Map.of("x", 1), "plain")))
                .isInstanceOf(PayloadException.class)
                .hasMessageContaining("task #1").hasMessageContaining("JSON object");
        assertThat(c.counts().total()).isZero();
    }
}
