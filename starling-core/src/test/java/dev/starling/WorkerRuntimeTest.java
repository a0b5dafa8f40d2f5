package dev.starling;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The worker runtime and the controller on the memory store, with real threads and the system clock. */
@Timeout(60)
class WorkerRuntimeTest {
    private static final Duration WAIT = Duration.ofSeconds(20);
    private static final WorkerOptions FAST = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(50))
            .pollTimeout(Duration.ofMillis(20))
            .build();

    record Point(double x) {
    }

    record Square(double y) {
    }

    record Eval(double x, double y) {
    }

    record Noted(double y, String note) {
    }

    private final Store store = Store.memory();
    private Controller controller;

    private Controller controller(Network network) {
        controller = network.controller();
        return controller;
    }

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
        store.close();
    }

    private static List<Map<String, Object>> points(int n) {
        return IntStream.range(0, n).<Map<String, Object>>mapToObj(i -> Map.of("x", (double) i)).toList();
    }

    @Test
    void queueLoop_workersFinishEveryTaskWithItsOutputs() throws Exception {
        Controller c = controller(Network.open(store, "squares"));
        c.startWorkers(4, task -> new Square(Math.pow(task.xs(Point.class).x(), 2)), FAST);

        List<Long> ids = c.push(points(200));

        assertThat(c.await(ids, WAIT)).isTrue();
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 200, 0));
        assertThat(c.results(Eval.class)).hasSize(200).allSatisfy(e -> assertThat(e.y()).isEqualTo(e.x() * e.x()));
        assertThat(c.finished()).extracting(Task::attempts).containsOnly(1);
    }

    @Test
    void handlerException_failsTheTaskWithItsErrorAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(Network.open(store, "errors"));
        c.startWorkers(1, task -> {
            double x = task.xs(Point.class).x();
            if (x % 2 == 0) {
                throw new IllegalStateException("even x=" + x);
            }
            return Map.of("y", x);
        }, FAST);

        assertThat(c.await(c.push(points(10)), WAIT)).isTrue();

        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 5, 5));
        Task failed = c.tasks(TaskState.FAILED).getFirst();
        assertThat(failed.error().kind()).isEqualTo(TaskError.Kind.EXCEPTION);
        assertThat(failed.error().type()).isEqualTo(IllegalStateException.class.getName());
        assertThat(failed.error().message()).startsWith("even x=");
        assertThat(failed.error().stackTrace()).contains("WorkerRuntimeTest");
        String worker = failed.worker();
        assertThat(c.log(worker)).anySatisfy(e -> {
            assertThat(e.level()).isEqualTo(LogEvent.Level.WARN);
            assertThat(e.message()).contains("task " + failed.id()).contains("IllegalStateException");
        });
    }

    @Test
    void unreadableInputs_failWithCauseInvalidInput_andBadOutputsFailToo() throws Exception {
        Controller c = controller(Network.open(store, "bad-input"));
        c.startWorkers(1, task -> {
            Point p = task.xs(Point.class);
            return p.x() > 5 ? "not an object" : Map.of("y", p.x());
        }, FAST);

        long bad = c.push(Map.of("x", "not a number"));
        long wrongOutput = c.push(Map.of("x", 9.0));
        long good = c.push(Map.of("x", 1.0));

        assertThat(c.await(List.of(bad, wrongOutput, good), WAIT)).isTrue();
        assertThat(c.task(bad).orElseThrow().error().kind()).isEqualTo(TaskError.Kind.INVALID_INPUT);
        assertThat(c.task(wrongOutput).orElseThrow().error().message()).contains("must be a JSON object");
        assertThat(c.task(good).orElseThrow().state()).isEqualTo(TaskState.FINISHED);
    }

    @Test
    void taskTimeout_failsTheTaskWithCauseTimeoutAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(Network.open(store, "timeouts"));
        WorkerOptions options = WorkerOptions.builder().heartbeatPeriod(Duration.ofMillis(50))
                .pollTimeout(Duration.ofMillis(20)).taskTimeout(Duration.ofMillis(100)).build();
        c.startWorkers(1, task -> {
            if (task.xs(Point.class).x() == 0) {
                Thread.sleep(10_000);
            }
            return Map.of("y", 1);
        }, options);

        List<Long> ids = c.push(points(3));

        assertThat(c.await(ids, WAIT)).isTrue();
        Task slow = c.task(ids.getFirst()).orElseThrow();
        assertThat(slow.state()).isEqualTo(TaskState.FAILED);
        assertThat(slow.error().kind()).isEqualTo(TaskError.Kind.TIMEOUT);
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 2, 1));
    }

    @Test
    void terminate_letsTheCurrentTaskFinishThenStops() throws Exception {
        Controller c = controller(Network.open(store, "terminate"));
        CountDownLatch inside = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        Worker worker = c.startWorkers(1, task -> {
            inside.countDown();
            release.await();
            return Map.of("y", 1);
        }, FAST).getFirst();
        c.push(points(5));
        assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        c.terminateWorkers();
        release.countDown();

        assertThat(worker.join(WAIT)).isTrue();
        assertThat(c.counts()).isEqualTo(new TaskCounts(4, 0, 1, 0));
        assertThat(c.workers()).singleElement().extracting(WorkerInfo::state).isEqualTo(WorkerState.TERMINATED);
    }

    @Test
    void kill_stopsAtOnceAndRequeuesTheRunningTask() throws Exception {
        Controller c = controller(Network.open(store, "kill"));
        CountDownLatch inside = new CountDownLatch(1);
        Worker worker = c.startWorkers(1, task -> {
            inside.countDown();
            Thread.sleep(60_000);
            return Map.of("y", 1);
        }, FAST).getFirst();
        long id = c.push(Map.of("x", 1.0));
        assertThat(inside.await(10, java.util.concurrent.TimeUnit.SECONDS)).isTrue();

        worker.kill();

        assertThat(worker.join(WAIT)).isTrue();
        Task task = c.task(id).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.QUEUED);
        assertThat(task.attempts()).isEqualTo(1);
        WorkerInfo info = c.workers().getFirst();
        assertThat(info.state()).isEqualTo(WorkerState.KILLED);
        assertThat(info.recovered()).isEqualTo(1);

        c.startWorkers(1, t -> Map.of("y", 2), FAST);
        assertThat(c.await(List.of(id), WAIT)).isTrue();
        assertThat(c.task(id).orElseThrow().attempts()).isEqualTo(2);
    }

    @Test
    void lostWorker_isDetectedByOtherWorkersAndItsTaskRecovered() throws Exception {
        Network network = Network.open(store, "lost");
        Controller c = controller(network);
        long id = c.push(Map.of("x", 3.0));
        // A worker that claims a task and dies: it registers and never heartbeats again.
        network.state().workers().register("ghost", "elsewhere", 1, Duration.ofMillis(150));
        assertThat(network.state().tasks().claim("ghost", Duration.ZERO)).isPresent();

        c.startWorkers(1, task -> Map.of("y", 9), FAST);

        assertThat(c.await(List.of(id), WAIT)).isTrue();
        Task task = c.task(id).orElseThrow();
        assertThat(task.state()).isEqualTo(TaskState.FINISHED);
        assertThat(task.attempts()).isEqualTo(2);
        WorkerInfo ghost = network.state().workers().get("ghost").orElseThrow();
        assertThat(ghost.state()).isEqualTo(WorkerState.LOST);
        assertThat(ghost.recovered()).isEqualTo(1);
    }

    @Test
    void freeLoop_stopsAtExactlyTheBudgetWith16Workers() throws Exception {
        Controller c = controller(Network.builder(store, "budget").seed(1).budget(1_000).create());
        AtomicInteger evaluations = new AtomicInteger();
        c.startWorkers(16, FreeLoop.of(w -> Map.of("x", w.random().nextDouble()), task -> {
            evaluations.incrementAndGet();
            return Map.of("y", 0);
        }), FAST);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(evaluations.get()).isEqualTo(1_000);
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 1_000, 0));
        assertThat(c.workers()).hasSize(16).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
        assertThat(c.log(c.workers().getFirst().id())).last().extracting(LogEvent::message).asString()
                .contains("budget of 1000 tasks is used up");
    }

    @Test
    void freeLoop_proposalException_becomesAFailedTaskAndTheWorkerGoesOn() throws Exception {
        Controller c = controller(Network.builder(store, "propose").budget(10).create());
        AtomicInteger calls = new AtomicInteger();
        c.startWorkers(1, FreeLoop.of(w -> {
            if (calls.incrementAndGet() % 2 == 0) {
                throw new ArithmeticException("no proposal");
            }
            return Map.of("x", 1);
        }, task -> Map.of("y", 1)), FAST);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, 5, 5));
        assertThat(c.tasks(TaskState.FAILED)).allSatisfy(t ->
                assertThat(t.error().type()).isEqualTo(ArithmeticException.class.getName()));
    }

    @Test
    void freeLoop_proposingNull_stopsTheWorkerWithoutCreatingATask() throws Exception {
        Controller c = controller(Network.open(store, "stop"));
        c.startWorkers(2, FreeLoop.of(w -> {
            w.archive().update();
            return w.archive().size() >= 6 ? null : Map.of("x", 1);
        }, task -> Map.of("y", 1)), FAST);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.counts().running()).isZero();
        assertThat(c.counts().finished()).isBetween(6L, 7L);
        assertThat(c.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
        assertThat(c.log(c.workers().getFirst().id())).last().extracting(LogEvent::message).asString()
                .contains("nothing more to propose");
    }

    @Test
    void cpuBoundLoopsOnVirtualThreads_keepTheirHeartbeat() throws Exception {
        // More spinning workers than cores: with heartbeats on virtual threads they starved and were declared lost.
        int workers = Runtime.getRuntime().availableProcessors() * 2;
        Controller c = controller(Network.builder(store, "spin").budget(workers * 2L).create());
        c.startWorkers(workers, FreeLoop.of(w -> {
            long until = System.nanoTime() + 400_000_000L;
            while (System.nanoTime() < until) {
                Thread.onSpinWait();
            }
            return Map.of("x", 1);
        }, task -> Map.of("y", 1)), FAST);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.workers()).extracting(WorkerInfo::state).containsOnly(WorkerState.TERMINATED);
        assertThat(c.counts()).isEqualTo(new TaskCounts(0, 0, workers * 2L, 0));
    }

    @Test
    void freeLoop_takesQueuedTasksBeforeProposing() throws Exception {
        Network network = Network.builder(store, "design").budget(8).create();
        Controller c = controller(network);
        c.push(points(5));
        c.startWorkers(1, FreeLoop.of(w -> Map.of("x", -1.0), task -> Map.of("y", 0)), FAST);

        assertThat(c.awaitWorkers(WAIT)).isTrue();

        assertThat(c.finished()).extracting(t -> t.xs().get("x"))
                .containsExactly(0.0, 1.0, 2.0, 3.0, 4.0, -1.0, -1.0, -1.0);
    }

    @Test
    void session_createsAndFinishesTasksAndRetiresOnClose() throws Exception {
        Network network = Network.builder(store, "ask").budget(3).create();
        Task first;
        Task second;
        try (WorkerSession session = network.openSession(FAST)) {
            first = session.create(Map.of("x", 1.0)).orElseThrow();
            second = session.create(Map.of("x", 2.0)).orElseThrow();
            assertThat(network.tasks(TaskState.RUNNING)).extracting(Task::worker).containsOnly(session.workerId());
            Thread.sleep(200);  // several heartbeat periods: the session must stay RUNNING meanwhile

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
    void sameSeedAndOneWorker_giveIdenticalResults() throws Exception {
        assertThat(randomSearch(7)).isEqualTo(randomSearch(7)).isNotEqualTo(randomSearch(8));
    }

    private List<String> randomSearch(long seed) throws Exception {
        try (Store own = Store.memory();
             Controller c = Network.builder(own, "seeded").seed(seed).budget(50).create().controller()) {
            c.startWorkers(1, FreeLoop.of(
                    w -> Map.of("x", w.random().nextDouble()),
                    task -> Map.of("y", task.xs(Point.class).x() + task.random().nextGaussian())), FAST);
            assertThat(c.awaitWorkers(WAIT)).isTrue();
            return c.finished().stream().map(t -> t.xsJson() + t.ysJson()).toList();
        }
    }

    @Test
    void csv_hasOneColumnPerInputAndOutput() throws Exception {
        Controller c = controller(Network.open(store, "csv"));
        c.startWorkers(1, task -> new Noted(2.5, "a,b"), FAST);
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
        Controller c = controller(Network.open(store, "reject"));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.push(List.of(Map.of("x", 1), "plain")))
                .isInstanceOf(PayloadException.class)
                .hasMessageContaining("task #1").hasMessageContaining("JSON object");
        assertThat(c.counts().total()).isZero();
    }
}
