package dev.starling.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import dev.starling.BudgetExhaustedException;
import dev.starling.LogEvent;
import dev.starling.MetricPoint;
import dev.starling.NetworkSettings;
import dev.starling.Recovery;
import dev.starling.Route;
import dev.starling.Scheduler;
import dev.starling.Seeds;
import dev.starling.StarlingException;
import dev.starling.StopRequest;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskCounts;
import dev.starling.TaskError;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerState;
import dev.starling.spi.Lease;
import dev.starling.spi.NetworkStore;
import dev.starling.spi.StoreBackend;
import dev.starling.TaskPage;
import dev.starling.spi.TaskStore;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * The contract every store keeps, checked through the store SPI. A store's test subclasses this and says how to
 * open the store on a given scheduler (a {@link ManualScheduler}, whose clock the tests move); each test then runs on
 * a fresh network of its own. The invariants checked are the store invariants of Starling's design: one state at a
 * time and terminal states final; transitions atomic with their data; first writer wins; no task lost when a worker
 * dies; heartbeats judged only over the sweeper's steady contact with the store; incremental reads see each
 * completed task exactly once, in order.
 */
@Timeout(60)
public abstract class StoreContract {
    private static final Duration EXPIRY = Duration.ofSeconds(3);
    private static final Duration NO_WAIT = Duration.ZERO;

    protected ManualClock clock;
    protected ManualScheduler scheduler;
    protected Store store;
    protected NetworkStore network;

    /** For the subclass that names the store under test. */
    protected StoreContract() {
    }

    /** Opens the store under test, on {@code scheduler}. Called once per test. */
    protected abstract Store openStore(Scheduler scheduler);

    @BeforeEach
    void openNetwork(TestInfo info) {
        scheduler = new ManualScheduler();
        clock = scheduler.manualClock();
        store = openStore(scheduler);
        String test = info.getTestMethod().orElseThrow().getName();
        network = StoreBackend.of(store).network(test + "-" + System.nanoTime());
        network.create(new NetworkSettings(42, NetworkSettings.UNLIMITED, 2));
    }

    @AfterEach
    void closeStore() {
        if (network != null) {
            network.delete();
        }
        if (store != null) {
            store.close();
        }
    }

    // ---- helpers

    protected TaskStore tasks() {
        return network.tasks();
    }

    protected String register(String worker) {
        network.workers().register(worker, "test-host", 1, EXPIRY);
        return worker;
    }

    private static List<String> payloads(int n) {
        return IntStream.range(0, n).mapToObj(i -> "{\"i\":" + i + "}").toList();
    }

    private Task claimOne(String worker) throws InterruptedException {
        return tasks().claim(worker, NO_WAIT).orElseThrow(() -> new AssertionError("no task to claim"));
    }

    private static List<TaskStore.Finish> finishing(Task task, String ys) {
        return List.of(new TaskStore.Finish(Lease.of(task), ys));
    }

    private Task get(long id) {
        return tasks().get(id).orElseThrow();
    }

    /** A sweep by a sweeper in steady contact with the store since long before the test began. */
    private List<Recovery> sweep(Duration minInterval) {
        return network.recoverLostWorkers(minInterval, Instant.EPOCH);
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Waits until the thread in {@code holder} has started and is blocked in a wait, or, since a blocking read from a
     * socket shows as RUNNABLE, has been running for a moment.
     */
    private static void awaitBlockedOrInIo(Thread[] holder) {
        while (holder[0] == null || holder[0].getState() == Thread.State.NEW) {
            Thread.onSpinWait();
        }
        long until = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
        while (holder[0].getState() != Thread.State.WAITING && holder[0].getState() != Thread.State.TIMED_WAITING
                && System.nanoTime() < until) {
            Thread.yield();
        }
    }

    /** Waits until the thread in {@code holder} has started and is blocked (parked, in a wait or in I/O). */
    private static void awaitBlocked(Thread[] holder) {
        while (holder[0] == null || (holder[0].getState() != Thread.State.WAITING
                && holder[0].getState() != Thread.State.TIMED_WAITING)) {
            Thread.onSpinWait();
        }
    }

    /** Tasks: push, claim, finish, fail, and the races between them. */
    @Nested
    class Tasks {

        @Test
        void push_createsQueuedTasksWithConsecutiveIdsAndDerivedSeeds() {
            List<Long> ids = tasks().push(payloads(3));

            assertThat(ids).containsExactly(1L, 2L, 3L);
            Task first = get(1);
            assertThat(first.state()).isEqualTo(TaskState.QUEUED);
            assertThat(first.xsJson()).isEqualTo("{\"i\":0}");
            assertThat(first.attempts()).isZero();
            assertThat(first.worker()).isNull();
            assertThat(first.created()).isEqualTo(clock.instant());
            assertThat(first.seed()).isEqualTo(Seeds.task(42, 1));
            assertThat(get(2).seed()).isNotEqualTo(first.seed());
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(3, 0, 0, 0));
        }

        @Test
        void claim_takesOldestQueuedTaskAndStartsAnAttempt() throws Exception {
            String w = register("w1");
            tasks().push(payloads(2));
            clock.advance(Duration.ofSeconds(5));

            Task task = claimOne(w);

            assertThat(task.id()).isEqualTo(1);
            assertThat(task.state()).isEqualTo(TaskState.RUNNING);
            assertThat(task.worker()).isEqualTo(w);
            assertThat(task.attempts()).isEqualTo(1);
            assertThat(task.started()).isEqualTo(clock.instant());
            assertThat(get(1)).isEqualTo(task);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(1, 1, 0, 0));
        }

        @Test
        void claim_onEmptyQueue_returnsEmptyAfterTimeout() throws Exception {
            String w = register("w1");

            assertThat(tasks().claim(w, NO_WAIT)).isEmpty();
            assertThat(tasks().claim(w, Duration.ofMillis(20))).isEmpty();
        }

        @Test
        void claim_blocked_wakesUpWhenATaskIsPushed() throws Exception {
            String w = register("w1");
            ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor();
            try {
                Thread[] claimer = new Thread[1];
                Future<Optional<Task>> claimed = pool.submit(() -> {
                    claimer[0] = Thread.currentThread();
                    return tasks().claim(w, Duration.ofSeconds(30));
                });
                awaitBlocked(claimer);
                tasks().push(payloads(1));
                assertThat(claimed.get().map(Task::id)).contains(1L);
            } finally {
                pool.shutdownNow();
            }
        }

        @Test
        void claim_byUnregisteredWorker_isRejectedWithItsName() {
            tasks().push(payloads(1));

            assertThatThrownBy(() -> tasks().claim("ghost", NO_WAIT))
                    .isInstanceOf(StarlingException.class)
                    .hasMessageContaining("ghost");
            assertThat(get(1).state()).isEqualTo(TaskState.QUEUED);
        }

        @Test
        void claim_isExclusiveUnderConcurrency() throws Exception {
            int threads = 64;
            int n = 5_000;
            tasks().push(payloads(n));
            List<String> workers = IntStream.range(0, threads).mapToObj(i -> register("w" + i)).toList();
            Set<Long> claimed = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (String w : workers) {
                    futures.add(pool.submit(() -> {
                        go.await();
                        Optional<Task> task;
                        while ((task = tasks().claim(w, NO_WAIT)).isPresent()) {
                            if (!claimed.add(task.get().id())) {
                                duplicates.incrementAndGet();
                            }
                            assertThat(tasks().finish(Lease.of(task.get()), "{}")).isTrue();
                        }
                        return null;
                    }));
                }
                go.countDown();
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(duplicates.get()).isZero();
            assertThat(claimed).hasSize(n);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, n, 0));
            assertThat(tasks().completedSince(0, 2 * n).tasks()).extracting(Task::id).doesNotHaveDuplicates()
                    .hasSize(n);
        }

        @Test
        void finish_writesOutputsAndStateInOneStep() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task task = claimOne(w);
            clock.advance(Duration.ofSeconds(2));

            assertThat(tasks().finish(Lease.of(task), "{\"y\":1.5}")).isTrue();

            Task done = get(1);
            assertThat(done.state()).isEqualTo(TaskState.FINISHED);
            assertThat(done.ysJson()).isEqualTo("{\"y\":1.5}");
            assertThat(done.ys()).containsEntry("y", 1.5);
            assertThat(done.finished()).isEqualTo(clock.instant());
            assertThat(done.worker()).isEqualTo(w);
            assertThat(done.error()).isNull();
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 1, 0));
        }

        @Test
        void fail_recordsTheErrorWithClassMessageAndStackTrace() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task task = claimOne(w);
            TaskError error = TaskError.of(new IllegalArgumentException("x out of range"));

            assertThat(tasks().fail(Lease.of(task), error)).isTrue();

            Task failed = get(1);
            assertThat(failed.state()).isEqualTo(TaskState.FAILED);
            assertThat(failed.error()).isEqualTo(error);
            assertThat(failed.error().type()).isEqualTo("java.lang.IllegalArgumentException");
            assertThat(failed.error().stackTrace()).contains("StoreContract");
            assertThat(failed.ysJson()).isNull();
        }

        @Test
        void finish_twice_secondReportsLostRaceAndChangesNothing() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task task = claimOne(w);

            assertThat(tasks().finish(Lease.of(task), "{\"y\":1}")).isTrue();
            assertThat(tasks().finish(Lease.of(task), "{\"y\":2}")).isFalse();
            assertThat(tasks().fail(Lease.of(task), TaskError.of(new RuntimeException()))).isFalse();

            assertThat(get(1).ysJson()).isEqualTo("{\"y\":1}");
            assertThat(get(1).state()).isEqualTo(TaskState.FINISHED);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 1, 0));
            assertThat(tasks().completedSince(0, 10).tasks()).hasSize(1);
        }

        @Test
        void fail_thenFinish_finishLosesAndTaskStaysFailed() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task task = claimOne(w);

            assertThat(tasks().fail(Lease.of(task), TaskError.timeout(Duration.ofSeconds(1)))).isTrue();
            assertThat(tasks().finish(Lease.of(task), "{\"y\":1}")).isFalse();

            assertThat(get(1).state()).isEqualTo(TaskState.FAILED);
            assertThat(get(1).error().kind()).isEqualTo(TaskError.Kind.TIMEOUT);
        }

        @Test
        void finish_ofQueuedTaskOrWithForeignLease_isALostRace() throws Exception {
            String w1 = register("w1");
            String w2 = register("w2");
            tasks().push(payloads(2));

            assertThat(tasks().finish(new Lease(2, w1, 1), "{}")).isFalse();
            Task task = claimOne(w1);
            assertThat(tasks().finish(new Lease(task.id(), w2, 1), "{}")).isFalse();
            assertThat(tasks().finish(new Lease(task.id(), w1, 2), "{}")).isFalse();
            assertThat(tasks().finish(new Lease(999, w1, 1), "{}")).isFalse();

            assertThat(get(1).state()).isEqualTo(TaskState.RUNNING);
            assertThat(get(2).state()).isEqualTo(TaskState.QUEUED);
        }

        @Test
        void finishAndFail_racingOnEveryTask_exactlyOneWinsEach() throws Exception {
            String w = register("w1");
            int n = 2_000;
            tasks().push(payloads(n));
            List<Task> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                running.add(claimOne(w));
            }
            AtomicInteger finishes = new AtomicInteger();
            AtomicInteger fails = new AtomicInteger();
            CountDownLatch go = new CountDownLatch(1);
            Thread finisher = Thread.ofPlatform().start(() -> {
                await(go);
                running.forEach(t -> {
                    if (tasks().finish(Lease.of(t), "{\"y\":0}")) {
                        finishes.incrementAndGet();
                    }
                });
            });
            Thread failer = Thread.ofPlatform().start(() -> {
                await(go);
                running.reversed().forEach(t -> {
                    if (tasks().fail(Lease.of(t), TaskError.of(new RuntimeException("boom")))) {
                        fails.incrementAndGet();
                    }
                });
            });
            go.countDown();
            finisher.join();
            failer.join();

            assertThat(finishes.get() + fails.get()).isEqualTo(n);
            TaskCounts counts = tasks().counts();
            assertThat(counts).isEqualTo(new TaskCounts(0, 0, finishes.get(), fails.get()));
            for (Task t : running) {
                Task now = get(t.id());
                assertThat(now.state().isTerminal()).isTrue();
                assertThat(now.ysJson() != null).isEqualTo(now.state() == TaskState.FINISHED);
                assertThat(now.error() != null).isEqualTo(now.state() == TaskState.FAILED);
            }
            assertThat(tasks().completedSince(0, 2 * n).tasks()).hasSize(n);
        }

        @Test
        void finishAndClaim_finishesAndClaimsTheNextInOneCall() throws Exception {
            String w = register("w1");
            tasks().push(payloads(2));
            Task first = claimOne(w);

            TaskStore.FinishAndClaim result = tasks().finishAndClaim(finishing(first, "{\"y\":1}"), w, 1, NO_WAIT);

            assertThat(result.lost()).isEmpty();
            assertThat(result.next()).extracting(Task::id).containsExactly(2L);
            assertThat(get(1).state()).isEqualTo(TaskState.FINISHED);
            assertThat(get(1).ysJson()).isEqualTo("{\"y\":1}");
            assertThat(get(2).state()).isEqualTo(TaskState.RUNNING);

            TaskStore.FinishAndClaim last = tasks().finishAndClaim(finishing(result.next().getFirst(), "{}"), w, 1,
                    NO_WAIT);
            assertThat(last.lost()).isEmpty();
            assertThat(last.next()).isEmpty();
            TaskStore.FinishAndClaim again = tasks().finishAndClaim(finishing(first, "{}"), w, 1, NO_WAIT);
            assertThat(again.lost()).containsExactly(first.id());
        }

        @Test
        void claimMany_takesTheOldestInOrderEachUnderItsOwnLease() throws Exception {
            String w = register("w1");
            tasks().push(payloads(5));

            List<Task> claimed = tasks().claim(w, 3, NO_WAIT);

            assertThat(claimed).extracting(Task::id).containsExactly(1L, 2L, 3L);
            assertThat(claimed).allSatisfy(t -> {
                assertThat(t.state()).isEqualTo(TaskState.RUNNING);
                assertThat(t.worker()).isEqualTo(w);
                assertThat(t.attempts()).isEqualTo(1);
                assertThat(get(t.id())).isEqualTo(t);
            });
            assertThat(tasks().claim(w, 10, NO_WAIT)).extracting(Task::id).containsExactly(4L, 5L);
            assertThat(tasks().claim(w, 10, NO_WAIT)).isEmpty();
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 5, 0, 0));
        }

        @Test
        void finishManyAndClaimMany_handsInABatchAndTakesTheNextInOneCall() throws Exception {
            String w = register("w1");
            tasks().push(payloads(6));
            List<Task> first = tasks().claim(w, 3, NO_WAIT);
            tasks().cancel(List.of(first.get(1).id()));

            TaskStore.FinishAndClaim result = tasks().finishAndClaim(first.stream()
                    .map(t -> new TaskStore.Finish(Lease.of(t), "{\"id\":" + t.id() + "}")).toList(), w, 2, NO_WAIT);

            assertThat(result.lost()).containsExactly(first.get(1).id());
            assertThat(result.next()).extracting(Task::id).containsExactly(4L, 5L);
            assertThat(get(1).ysJson()).isEqualTo("{\"id\":1}");
            assertThat(get(3).ysJson()).isEqualTo("{\"id\":3}");
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(1, 2, 2, 0, 1));
            assertThat(tasks().completedSince(0, 10).tasks()).extracting(Task::id).containsExactly(2L, 1L, 3L);
        }

        @Test
        void claimMany_isExclusiveUnderConcurrency() throws Exception {
            int n = 2_000;
            tasks().push(payloads(n));
            List<String> claimers = List.of(register("a"), register("b"), register("c"), register("d"));
            Set<Long> seen = ConcurrentHashMap.newKeySet();
            AtomicInteger duplicates = new AtomicInteger();
            List<Thread> threads = new ArrayList<>();
            for (String w : claimers) {
                threads.add(Thread.ofPlatform().start(() -> {
                    try {
                        List<Task> got;
                        while (!(got = tasks().claim(w, 7, NO_WAIT)).isEmpty()) {
                            got.forEach(t -> duplicates.addAndGet(seen.add(t.id()) ? 0 : 1));
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }));
            }
            for (Thread t : threads) {
                t.join();
            }

            assertThat(duplicates.get()).isZero();
            assertThat(seen).hasSize(n);
        }

        @Test
        void release_putsClaimedTasksBackWithTheirAttemptUncounted() throws Exception {
            String w = register("w1");
            tasks().push(payloads(3));
            List<Task> claimed = tasks().claim(w, 3, NO_WAIT);
            tasks().finish(Lease.of(claimed.get(0)), "{}");

            int released = tasks().release(claimed.stream().map(Lease::of).toList());

            assertThat(released).isEqualTo(2);
            assertThat(get(2).state()).isEqualTo(TaskState.QUEUED);
            assertThat(get(2).attempts()).isZero();
            assertThat(get(2).worker()).isNull();
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(2, 0, 1, 0));
            assertThat(tasks().finish(Lease.of(claimed.get(1)), "{}")).isFalse();
            String w2 = register("w2");
            assertThat(tasks().claim(w2, 5, NO_WAIT)).extracting(Task::id, Task::attempts)
                    .containsExactlyInAnyOrder(tuple(2L, 1), tuple(3L, 1));
            assertThat(network.retire(w, WorkerState.TERMINATED).recovered()).isZero();
        }
    }

    /** Free loops' own tasks and the network's budget. */
    @Nested
    class FreeLoopsAndBudget {

        @Test
        void pushRunning_createsARunningTaskOfTheWorker() {
            String w = register("w1");

            Task task = tasks().pushRunning(w, "{\"x\":1}").orElseThrow();

            assertThat(task.state()).isEqualTo(TaskState.RUNNING);
            assertThat(task.worker()).isEqualTo(w);
            assertThat(task.attempts()).isEqualTo(1);
            assertThat(task.seed()).isEqualTo(Seeds.task(42, task.id()));
            assertThat(tasks().finish(Lease.of(task), "{\"y\":2}")).isTrue();
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 1, 0));
        }

        @Test
        void budget_withSixteenConcurrentCreators_isMetExactly() throws Exception {
            network.create(new NetworkSettings(7, 1_000, 3));
            int threads = 16;
            List<String> workers = IntStream.range(0, threads).mapToObj(i -> register("w" + i)).toList();
            AtomicInteger created = new AtomicInteger();
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (String w : workers) {
                    futures.add(pool.submit(() -> {
                        Optional<Task> task;
                        while ((task = tasks().pushRunning(w, "{}")).isPresent()) {
                            created.incrementAndGet();
                            tasks().finish(Lease.of(task.get()), "{}");
                        }
                        return null;
                    }));
                }
                for (Future<?> f : futures) {
                    f.get();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(created.get()).isEqualTo(1_000);
            assertThat(tasks().counts().total()).isEqualTo(1_000);
            assertThatThrownBy(() -> tasks().push(payloads(1))).isInstanceOf(BudgetExhaustedException.class);
        }

        @Test
        void push_overBudget_rejectsTheWholeBatch() {
            network.create(new NetworkSettings(7, 5, 3));
            tasks().push(payloads(3));

            assertThatThrownBy(() -> tasks().push(payloads(3)))
                    .isInstanceOf(BudgetExhaustedException.class)
                    .hasMessageContaining("budget of 5");

            assertThat(tasks().counts().total()).isEqualTo(3);
            assertThat(tasks().push(payloads(2))).containsExactly(4L, 5L);
        }

        @Test
        void setBudget_raisesAndLowersTheLimitOnCreation() {
            network.create(new NetworkSettings(7, 2, 3));
            String w = register("w1");
            tasks().push(payloads(2));
            assertThat(tasks().pushRunning(w, "{}")).isEmpty();

            network.setBudget(4);

            assertThat(network.settings().orElseThrow().budget()).isEqualTo(4);
            assertThat(tasks().pushRunning(w, "{}")).isPresent();
            assertThat(tasks().push(payloads(1))).containsExactly(4L);
            network.setBudget(1);
            assertThatThrownBy(() -> tasks().push(payloads(1))).isInstanceOf(BudgetExhaustedException.class);
            assertThat(tasks().counts().total()).isEqualTo(4);
        }

        @Test
        void attributes_areKeptUntilTheNetworkIsCreatedAfresh() {
            assertThat(network.attribute("space")).isEmpty();

            network.setAttribute("space", "{\"x\":1}");
            network.setAttribute("space", "{\"x\":2}");
            network.setAttribute("other", "é ✓");

            assertThat(network.attribute("space")).contains("{\"x\":2}");
            assertThat(network.attribute("other")).contains("é ✓");
            network.create(NetworkSettings.defaults());
            assertThat(network.attribute("space")).isEmpty();
            network.delete();
            assertThatThrownBy(() -> network.setAttribute("space", "{}")).isInstanceOf(StarlingException.class)
                    .hasMessageContaining("does not exist");
            assertThatThrownBy(() -> network.setBudget(3)).isInstanceOf(StarlingException.class)
                    .hasMessageContaining("does not exist");
        }
    }

    /** Reading tasks: by id, by state, and incrementally in completion order. */
    @Nested
    class Reading {

        @Test
        void completedSince_returnsEachCompletedTaskExactlyOnceInCompletionOrder() throws Exception {
            String w = register("w1");
            tasks().push(payloads(10));
            List<Long> order = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                order.add(claimOne(w).id());
            }
            Collections.shuffle(order, new java.util.Random(1));
            List<Long> seen = new ArrayList<>();
            long cursor = 0;
            for (int i = 0; i < 10; i++) {
                long id = order.get(i);
                Lease lease = new Lease(id, w, 1);
                if (i % 3 == 0) {
                    tasks().fail(lease, TaskError.of(new RuntimeException("odd one")));
                } else {
                    tasks().finish(lease, "{}");
                }
                if (i % 2 == 1) {
                    TaskPage page = tasks().completedSince(cursor, 1_000);
                    page.tasks().forEach(t -> seen.add(t.id()));
                    cursor = page.cursor();
                }
            }
            TaskPage rest = tasks().completedSince(cursor, 1_000);
            rest.tasks().forEach(t -> seen.add(t.id()));

            assertThat(seen).isEqualTo(order);
            assertThat(tasks().completedSince(rest.cursor(), 1_000).tasks()).isEmpty();
            TaskPage firstThree = tasks().completedSince(0, 3);
            assertThat(firstThree.tasks()).extracting(Task::id).isEqualTo(order.subList(0, 3));
            assertThat(tasks().completedSince(firstThree.cursor(), 3).tasks()).extracting(Task::id)
                    .isEqualTo(order.subList(3, 6));
        }

        @Test
        void completedSince_whileWorkersFinish_seesEveryTaskOnceInOrder() throws Exception {
            int n = 4_000;
            tasks().push(payloads(n));
            List<String> workers = IntStream.range(0, 4).mapToObj(i -> register("w" + i)).toList();
            ExecutorService pool = Executors.newFixedThreadPool(4);
            List<Long> seen = new ArrayList<>();
            try {
                for (String w : workers) {
                    pool.submit(() -> {
                        Optional<Task> task;
                        while ((task = tasks().claim(w, NO_WAIT)).isPresent()) {
                            tasks().finish(Lease.of(task.get()), "{}");
                        }
                        return null;
                    });
                }
                long cursor = 0;
                long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (seen.size() < n && System.nanoTime() < deadline) {
                    TaskPage page = tasks().completedSince(cursor, 97);
                    page.tasks().forEach(t -> seen.add(t.id()));
                    cursor = page.cursor();
                }
            } finally {
                pool.shutdownNow();
            }

            assertThat(seen).hasSize(n).doesNotHaveDuplicates();
            assertThat(seen).isEqualTo(tasks().completedSince(0, 2 * n).tasks().stream().map(Task::id).toList());
        }

        @Test
        void awaitCompleted_returnsWhenATaskCompletes() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task task = claimOne(w);
            Thread[] waiter = new Thread[1];
            CompletableFuture<Long> position = CompletableFuture.supplyAsync(() -> {
                waiter[0] = Thread.currentThread();
                try {
                    return tasks().awaitCompleted(0, Duration.ofSeconds(30));
                } catch (InterruptedException e) {
                    throw new IllegalStateException(e);
                }
            }, Executors.newVirtualThreadPerTaskExecutor());
            awaitBlocked(waiter);

            tasks().finish(Lease.of(task), "{}");

            assertThat(position.get()).isEqualTo(1);
            assertThat(tasks().awaitCompleted(1, Duration.ofMillis(20))).isEqualTo(1);
        }

        @Test
        void fetch_returnsTheTasksOfEachState() throws Exception {
            String w = register("w1");
            tasks().push(payloads(5));
            Task a = claimOne(w);
            Task b = claimOne(w);
            Task c = claimOne(w);
            tasks().finish(Lease.of(a), "{}");
            tasks().fail(Lease.of(b), TaskError.of(new RuntimeException()));

            assertThat(tasks().fetch(TaskState.QUEUED)).extracting(Task::id).containsExactly(4L, 5L);
            assertThat(tasks().fetch(TaskState.RUNNING)).extracting(Task::id).containsExactly(c.id());
            assertThat(tasks().fetch(TaskState.FINISHED)).extracting(Task::id).containsExactly(a.id());
            assertThat(tasks().fetch(TaskState.FAILED)).extracting(Task::id).containsExactly(b.id());
            assertThat(tasks().get(99)).isEmpty();
        }
    }

    /** Workers: registration, heartbeats, stop requests, lost workers, recovery. */
    @Nested
    class Workers {

        @Test
        void register_givesOrdinalsAndRejectsADuplicateId() {
            WorkerInfo first = network.workers().register("a", "host-a", 11, EXPIRY);
            WorkerInfo second = network.workers().register("b", "host-b", 12, EXPIRY);

            assertThat(first.ordinal()).isEqualTo(1);
            assertThat(second.ordinal()).isEqualTo(2);
            assertThat(first.state()).isEqualTo(WorkerState.RUNNING);
            assertThat(first.host()).isEqualTo("host-a");
            assertThat(first.pid()).isEqualTo(11);
            assertThat(first.started()).isEqualTo(clock.instant());
            assertThat(first.heartbeatExpiry()).isEqualTo(EXPIRY);
            assertThatThrownBy(() -> network.workers().register("a", "h", 1, EXPIRY))
                    .isInstanceOf(StarlingException.class).hasMessageContaining("'a'");
            assertThat(network.workers().list()).extracting(WorkerInfo::id).containsExactly("a", "b");
        }

        @Test
        void heartbeat_updatesTheWorkerAndCarriesStopRequests() {
            register("w1");
            clock.advance(Duration.ofSeconds(2));

            WorkerInfo beat = network.workers().heartbeat("w1");
            assertThat(beat.lastHeartbeat()).isEqualTo(clock.instant());
            assertThat(beat.stopRequest()).isEqualTo(StopRequest.NONE);

            network.workers().requestStop("w1", StopRequest.TERMINATE);
            assertThat(network.workers().heartbeat("w1").stopRequest()).isEqualTo(StopRequest.TERMINATE);
            network.workers().requestStop("w1", StopRequest.KILL);
            network.workers().requestStop("w1", StopRequest.TERMINATE);
            assertThat(network.workers().heartbeat("w1").stopRequest()).isEqualTo(StopRequest.KILL);
            assertThatThrownBy(() -> network.workers().heartbeat("nobody")).isInstanceOf(StarlingException.class)
                    .hasMessageContaining("nobody");
        }

        @Test
        void heartbeatExpiry_onManualClock_marksWorkerLostAndRequeuesItsTasks() throws Exception {
            String dead = register("dead");
            String alive = register("alive");
            tasks().push(payloads(3));
            Task t1 = claimOne(dead);
            Task t2 = claimOne(dead);
            Task t3 = claimOne(alive);

            clock.advance(EXPIRY);
            network.workers().heartbeat(alive);
            assertThat(sweep(Duration.ZERO)).isEmpty();

            clock.advance(Duration.ofSeconds(1));
            network.workers().heartbeat(alive);
            List<Recovery> recoveries = sweep(Duration.ZERO);

            assertThat(recoveries).containsExactly(new Recovery(dead, WorkerState.LOST, true, 2, 0));
            WorkerInfo lost = network.workers().get(dead).orElseThrow();
            assertThat(lost.state()).isEqualTo(WorkerState.LOST);
            assertThat(lost.recovered()).isEqualTo(2);
            assertThat(lost.stopped()).isEqualTo(clock.instant());
            assertThat(network.workers().get(alive).orElseThrow().state()).isEqualTo(WorkerState.RUNNING);
            for (Task t : List.of(t1, t2)) {
                Task now = get(t.id());
                assertThat(now.state()).isEqualTo(TaskState.QUEUED);
                assertThat(now.attempts()).isEqualTo(1);
                assertThat(now.worker()).isNull();
            }
            assertThat(get(t3.id()).state()).isEqualTo(TaskState.RUNNING);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(2, 1, 0, 0));

            Task retried = claimOne(alive);
            assertThat(retried.id()).isIn(t1.id(), t2.id());
            assertThat(retried.attempts()).isEqualTo(2);
            assertThat(sweep(Duration.ZERO)).isEmpty();
        }

        @Test
        void recovery_withAttemptsUsedUp_failsTheTaskWithCauseWorkerLost() throws Exception {
            String first = register("first");
            String second = register("second");
            tasks().push(payloads(1));
            claimOne(first);
            network.retire(first, WorkerState.LOST);
            Task again = claimOne(second);
            assertThat(again.attempts()).isEqualTo(2);

            Recovery recovery = network.retire(second, WorkerState.LOST);

            assertThat(recovery).isEqualTo(new Recovery(second, WorkerState.LOST, true, 0, 1));
            Task failed = get(again.id());
            assertThat(failed.state()).isEqualTo(TaskState.FAILED);
            assertThat(failed.error().kind()).isEqualTo(TaskError.Kind.WORKER_LOST);
            assertThat(failed.error().message()).contains(second);
            assertThat(tasks().completedSince(0, 10).tasks()).extracting(Task::id).containsExactly(again.id());
        }

        @Test
        void finish_afterLostWorkerRecovery_reportsLostRace() throws Exception {
            String slow = register("slow");
            String other = register("other");
            tasks().push(payloads(1));
            Task stale = claimOne(slow);
            network.retire(slow, WorkerState.LOST);
            Task fresh = claimOne(other);

            assertThat(tasks().finish(Lease.of(stale), "{\"y\":\"stale\"}")).isFalse();
            assertThat(tasks().finish(Lease.of(fresh), "{\"y\":\"fresh\"}")).isTrue();

            assertThat(get(fresh.id()).ysJson()).isEqualTo("{\"y\":\"fresh\"}");
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 1, 0));
        }

        @Test
        void recoveryAndFinish_racing_exactlyOneWinsPerTask() throws Exception {
            int rounds = 200;
            for (int round = 0; round < rounds; round++) {
                String w = register("w" + round);
                List<Long> ids = tasks().push(payloads(5));
                List<Task> running = new ArrayList<>();
                for (int i = 0; i < ids.size(); i++) {
                    running.add(claimOne(w));
                }
                CountDownLatch go = new CountDownLatch(1);
                AtomicInteger finished = new AtomicInteger();
                Thread finisher = Thread.ofPlatform().start(() -> {
                    await(go);
                    running.forEach(t -> {
                        if (tasks().finish(Lease.of(t), "{}")) {
                            finished.incrementAndGet();
                        }
                    });
                });
                go.countDown();
                Recovery recovery = network.retire(w, WorkerState.LOST);
                finisher.join();

                assertThat(finished.get() + recovery.recovered()).as("round %d", round).isEqualTo(5);
                for (long id : ids) {
                    Task t = get(id);
                    assertThat(t.state()).isIn(TaskState.FINISHED, TaskState.QUEUED);
                }
            }
            TaskCounts counts = tasks().counts();
            assertThat(counts.total()).isEqualTo(5L * rounds);
            assertThat(counts.running()).isZero();
        }

        @Test
        void retire_isFirstWriterWins() throws Exception {
            register("w1");

            assertThat(network.retire("w1", WorkerState.KILLED).applied()).isTrue();
            assertThat(network.retire("w1", WorkerState.LOST).applied()).isFalse();
            assertThat(network.retire("w1", WorkerState.TERMINATED).applied()).isFalse();

            assertThat(network.workers().get("w1").orElseThrow().state()).isEqualTo(WorkerState.KILLED);
            assertThat(network.workers().heartbeat("w1").state()).isEqualTo(WorkerState.KILLED);
        }

        @Test
        void retiredWorker_cannotClaimOrCreate() throws Exception {
            register("w1");
            tasks().push(payloads(1));
            network.retire("w1", WorkerState.LOST);

            assertThat(tasks().claim("w1", NO_WAIT)).isEmpty();
            assertThat(tasks().pushRunning("w1", "{}")).isEmpty();
            assertThat(get(1).state()).isEqualTo(TaskState.QUEUED);
        }

        @Test
        void recoverLostWorkers_skipsWhenAnotherSweepRanWithinTheInterval() throws Exception {
            register("w1");
            clock.advance(Duration.ofSeconds(1));
            assertThat(sweep(Duration.ofSeconds(10))).isEmpty();

            clock.advance(EXPIRY.plusSeconds(1));
            assertThat(sweep(Duration.ofSeconds(10))).isEmpty();
            assertThat(network.workers().get("w1").orElseThrow().state()).isEqualTo(WorkerState.RUNNING);

            clock.advance(Duration.ofSeconds(10));
            assertThat(sweep(Duration.ofSeconds(10))).extracting(Recovery::worker)
                    .containsExactly("w1");
        }

        @Test
        void recoverLostWorkers_countsHeartbeatsOnlyFromTheSweepersContact() throws Exception {
            register("w1");
            tasks().push(payloads(1));
            claimOne("w1");
            // The store was unreachable for a minute; the sweeper reached it again just now.
            clock.advance(Duration.ofMinutes(1));
            Instant reconnected = clock.instant();

            assertThat(network.recoverLostWorkers(Duration.ZERO, reconnected)).isEmpty();
            clock.advance(EXPIRY);
            assertThat(network.recoverLostWorkers(Duration.ZERO, reconnected)).isEmpty();
            assertThat(network.workers().get("w1").orElseThrow().state()).isEqualTo(WorkerState.RUNNING);

            clock.advance(Duration.ofMillis(1));
            assertThat(network.recoverLostWorkers(Duration.ZERO, reconnected)).extracting(Recovery::worker)
                    .containsExactly("w1");
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(1, 0, 0, 0));
        }
    }

    /** Routing: tasks for one worker or for the workers that carry a tag. */
    @Nested
    class Routing {

        private String registerTagged(String worker, String... tags) {
            network.workers().register(worker, "test-host", 1, EXPIRY, Set.of(tags));
            return worker;
        }

        private List<Long> pushRouted(Route... routes) {
            return tasks().push(payloads(routes.length), Arrays.stream(routes).map(Route::key).toList(), null);
        }

        @Test
        void taskRoutedToAWorker_isClaimedByThatWorkerOnly() throws Exception {
            String a = register("a");
            String b = register("b");
            List<Long> ids = pushRouted(Route.worker(b), Route.any());

            assertThat(claimOne(a).id()).isEqualTo(ids.get(1));
            assertThat(tasks().claim(a, 5, NO_WAIT)).isEmpty();
            assertThat(claimOne(b).id()).isEqualTo(ids.get(0));
            assertThat(network.workers().get(b).orElseThrow().tags()).isEmpty();
        }

        @Test
        void taskRoutedToATag_goesToWorkersWithTheTag_beforeTheirUnroutedWork() throws Exception {
            String plain = register("plain");
            String tagged = registerTagged("tagged", "chunk=7", "gpu");
            List<Long> ids = pushRouted(Route.any(), Route.tag("chunk=7"), Route.tag("gpu"), Route.tag("chunk=8"));

            assertThat(tasks().claim(tagged, 10, NO_WAIT)).extracting(Task::id)
                    .containsExactlyInAnyOrder(ids.get(0), ids.get(1), ids.get(2));
            assertThat(tasks().claim(plain, 10, NO_WAIT)).isEmpty();
            assertThat(tasks().fetch(TaskState.QUEUED)).extracting(Task::id).containsExactly(ids.get(3));
            assertThat(network.workers().get(tagged).orElseThrow().tags()).containsExactlyInAnyOrder("chunk=7", "gpu");
        }

        @Test
        void routedFirst_thenUnrouted_inOneClaim() throws Exception {
            String tagged = registerTagged("tagged", "x");
            List<Long> ids = pushRouted(Route.any(), Route.tag("x"));

            assertThat(tasks().claim(tagged, 1, NO_WAIT)).extracting(Task::id).containsExactly(ids.get(1));
            assertThat(tasks().claim(tagged, 1, NO_WAIT)).extracting(Task::id).containsExactly(ids.get(0));
        }

        @Test
        void claim_blocked_wakesUpForATaskRoutedToIt() throws Exception {
            register("other");
            String b = registerTagged("b", "x");
            List<Task> got = new ArrayList<>();
            Thread[] claimer = new Thread[1];
            claimer[0] = new Thread(() -> {
                try {
                    got.addAll(tasks().claim(b, 5, Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            claimer[0].start();
            awaitBlockedOrInIo(claimer);

            long id = pushRouted(Route.tag("x")).getFirst();
            claimer[0].join();

            assertThat(got).extracting(Task::id).containsExactly(id);
        }

        @Test
        void recoveredRoutedTask_waitsForAReplacementWithTheTag() throws Exception {
            String first = registerTagged("first", "chunk=1");
            String plain = register("plain");
            long id = pushRouted(Route.tag("chunk=1")).getFirst();
            claimOne(first);

            network.retire(first, WorkerState.LOST);

            assertThat(tasks().claim(plain, 5, NO_WAIT)).isEmpty();
            assertThat(get(id).state()).isEqualTo(TaskState.QUEUED);
            String replacement = registerTagged("replacement", "chunk=1");
            assertThat(tasks().claim(replacement, 5, NO_WAIT)).extracting(Task::id, Task::attempts)
                    .containsExactly(tuple(id, 2));
        }

        @Test
        void releasedRoutedTask_staysOnItsRoute() throws Exception {
            String a = registerTagged("a", "x");
            String plain = register("plain");
            long id = pushRouted(Route.tag("x")).getFirst();
            Task task = claimOne(a);

            assertThat(tasks().release(List.of(Lease.of(task)))).isEqualTo(1);

            assertThat(tasks().claim(plain, 5, NO_WAIT)).isEmpty();
            assertThat(claimOne(a).id()).isEqualTo(id);
        }

        @Test
        void push_withARouteCountThatDoesNotMatch_isRejected() {
            assertThatThrownBy(() -> tasks().push(payloads(2), List.of(""), null))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("one route per task");
            assertThat(tasks().counts().total()).isZero();
        }
    }

    /** Cancellation, and completions delivered to reply channels. */
    @Nested
    class CancelAndReplies {

        @Test
        void cancel_queuedTask_neverRuns() throws Exception {
            String w = register("w1");
            List<Long> ids = tasks().push(payloads(2));

            assertThat(tasks().cancel(List.of(ids.get(0)))).containsExactly(ids.get(0));

            assertThat(claimOne(w).id()).isEqualTo(ids.get(1));
            assertThat(tasks().claim(w, NO_WAIT)).isEmpty();
            Task cancelled = get(ids.get(0));
            assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(cancelled.attempts()).isZero();
            assertThat(cancelled.finished()).isEqualTo(clock.instant());
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 1, 0, 0, 1));
            assertThat(tasks().completedSince(0, 10).tasks()).extracting(Task::id, Task::state)
                    .containsExactly(tuple(ids.get(0), TaskState.CANCELLED));
            assertThat(tasks().fetch(TaskState.CANCELLED)).extracting(Task::id).containsExactly(ids.get(0));
        }

        @Test
        void cancel_runningTask_makesItsFinishAndFailLoseTheRace() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1));
            Task running = claimOne(w);

            assertThat(tasks().cancel(List.of(running.id()))).containsExactly(running.id());

            assertThat(tasks().finish(Lease.of(running), "{\"y\":1}")).isFalse();
            assertThat(tasks().fail(Lease.of(running), TaskError.of(new RuntimeException("late")))).isFalse();
            assertThat(network.retire(w, WorkerState.KILLED).recovered()).isZero();
            Task cancelled = get(running.id());
            assertThat(cancelled.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(cancelled.ysJson()).isNull();
            assertThat(cancelled.worker()).isEqualTo(w);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 0, 0, 1));
        }

        @Test
        void cancel_ofTerminalOrUnknownTasks_cancelsNothing() throws Exception {
            String w = register("w1");
            List<Long> ids = tasks().push(payloads(2));
            tasks().finish(Lease.of(claimOne(w)), "{}");
            tasks().cancel(List.of(ids.get(1)));

            assertThat(tasks().cancel(List.of(ids.get(0), ids.get(1), 999L))).isEmpty();
            assertThat(get(ids.get(0)).state()).isEqualTo(TaskState.FINISHED);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, 1, 0, 1));
        }

        @Test
        void cancelAndFinish_racingOnEveryTask_exactlyOneWinsEach() throws Exception {
            String w = register("w1");
            int n = 300;
            tasks().push(payloads(n));
            List<Task> running = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                running.add(claimOne(w));
            }
            AtomicInteger finishes = new AtomicInteger();
            AtomicInteger cancels = new AtomicInteger();
            CountDownLatch start = new CountDownLatch(1);
            Thread finisher = new Thread(() -> {
                await(start);
                running.forEach(t -> finishes.addAndGet(tasks().finish(Lease.of(t), "{}") ? 1 : 0));
            });
            Thread canceller = new Thread(() -> {
                await(start);
                for (Task t : running.reversed()) {
                    cancels.addAndGet(tasks().cancel(List.of(t.id())).size());
                }
            });
            finisher.start();
            canceller.start();
            start.countDown();
            finisher.join();
            canceller.join();

            assertThat(finishes.get() + cancels.get()).isEqualTo(n);
            assertThat(tasks().counts()).isEqualTo(new TaskCounts(0, 0, finishes.get(), 0, cancels.get()));
            assertThat(tasks().completedSince(0, Integer.MAX_VALUE).tasks()).hasSize(n);
        }

        @Test
        void replies_deliverEachCompletionOnceInCompletionOrder() throws Exception {
            String w = register("w1");
            List<Long> ids = tasks().push(payloads(3), null, "c1");
            long other = tasks().push(payloads(1)).getFirst();
            Task first = claimOne(w);
            Task second = claimOne(w);
            tasks().cancel(List.of(ids.get(2)));
            tasks().fail(Lease.of(second), TaskError.of(new IllegalStateException("boom")));
            tasks().finish(Lease.of(first), "{\"y\":1}");
            tasks().finish(Lease.of(claimOne(w)), "{}");

            List<Task> replies = tasks().awaitReplies("c1", 10, NO_WAIT);

            assertThat(replies).extracting(Task::id, Task::state).containsExactly(
                    tuple(ids.get(2), TaskState.CANCELLED), tuple(ids.get(1), TaskState.FAILED),
                    tuple(ids.get(0), TaskState.FINISHED));
            assertThat(replies.get(1).error().type()).isEqualTo(IllegalStateException.class.getName());
            assertThat(replies.get(2).ysJson()).isEqualTo("{\"y\":1}");
            assertThat(replies).allSatisfy(t -> assertThat(t.xsJson()).isEqualTo("{}"));
            assertThat(replies).extracting(Task::id).doesNotContain(other);
            assertThat(tasks().awaitReplies("c1", 10, NO_WAIT)).isEmpty();
        }

        @Test
        void awaitReplies_takesAtMostMaxAtATime() throws Exception {
            String w = register("w1");
            tasks().push(payloads(5), null, "c1");
            for (int i = 0; i < 5; i++) {
                tasks().finish(Lease.of(claimOne(w)), "{}");
            }

            assertThat(tasks().awaitReplies("c1", 2, NO_WAIT)).extracting(Task::id).containsExactly(1L, 2L);
            assertThat(tasks().awaitReplies("c1", 2, NO_WAIT)).extracting(Task::id).containsExactly(3L, 4L);
            assertThat(tasks().awaitReplies("c1", 2, NO_WAIT)).extracting(Task::id).containsExactly(5L);
        }

        @Test
        void awaitReplies_blocked_wakesUpWhenATaskCompletes() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1), null, "c1");
            Task running = claimOne(w);
            List<Task> received = new ArrayList<>();
            Thread[] reader = new Thread[1];
            reader[0] = new Thread(() -> {
                try {
                    received.addAll(tasks().awaitReplies("c1", 10, Duration.ofSeconds(30)));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            reader[0].start();
            awaitBlockedOrInIo(reader);

            tasks().finish(Lease.of(running), "{}");
            reader[0].join();

            assertThat(received).extracting(Task::id).containsExactly(running.id());
        }

        @Test
        void subscribe_pointsPendingCompletionsToTheNewChannel() throws Exception {
            String w = register("w1");
            List<Long> ids = tasks().push(payloads(2), null, "old");
            tasks().finish(Lease.of(claimOne(w)), "{}");

            List<Task> snapshots = tasks().subscribe("new", List.of(ids.get(0), ids.get(1), 999L));
            tasks().finish(Lease.of(claimOne(w)), "{}");

            assertThat(snapshots).extracting(Task::id, Task::state).containsExactly(
                    tuple(ids.get(0), TaskState.FINISHED), tuple(ids.get(1), TaskState.QUEUED));
            assertThat(tasks().awaitReplies("new", 10, NO_WAIT)).extracting(Task::id).containsExactly(ids.get(1));
            assertThat(tasks().awaitReplies("old", 10, NO_WAIT)).extracting(Task::id).containsExactly(ids.get(0));
        }

        @Test
        void replies_ofARecoveredTask_arriveOnceWhenItCompletes() throws Exception {
            String w = register("w1");
            long id = tasks().push(payloads(1), null, "c1").getFirst();
            claimOne(w);
            network.retire(w, WorkerState.LOST);
            assertThat(tasks().awaitReplies("c1", 10, NO_WAIT)).isEmpty();

            String w2 = register("w2");
            tasks().finish(Lease.of(claimOne(w2)), "{}");

            assertThat(tasks().awaitReplies("c1", 10, NO_WAIT)).extracting(Task::id, Task::attempts)
                    .containsExactly(tuple(id, 2));
        }

        @Test
        void closeChannel_dropsTheCompletionsNotYetTaken() throws Exception {
            String w = register("w1");
            tasks().push(payloads(1), null, "c1");
            tasks().finish(Lease.of(claimOne(w)), "{}");

            tasks().closeChannel("c1");

            assertThat(tasks().awaitReplies("c1", 10, NO_WAIT)).isEmpty();
        }
    }

    /** Per-worker events; networks isolated, created afresh, deleted. */
    @Nested
    class EventsAndNetworks {

        @Test
        void events_areKeptPerWorkerInOrder() {
            register("a");
            register("b");
            Instant t = clock.instant();
            network.events().append(new LogEvent(t, "a", LogEvent.Level.INFO, "one"));
            network.events().append(new LogEvent(t, "b", LogEvent.Level.WARN, "other"));
            network.events().append(new LogEvent(t.plusSeconds(1), "a", LogEvent.Level.ERROR, "two"));

            assertThat(network.events().read("a")).extracting(LogEvent::message).containsExactly("one", "two");
            assertThat(network.events().read("a").get(1).level()).isEqualTo(LogEvent.Level.ERROR);
            assertThat(network.events().read("b")).extracting(LogEvent::message).containsExactly("other");
            assertThat(network.events().read("nobody")).isEmpty();
        }

        @Test
        void aWorkerRegisteringTwiceUnderOneId_isRefused_andTheFirstKeepsItsPlace() {
            WorkerInfo first = network.workers().register("twin", "host-a", 1, Duration.ofSeconds(3), Set.of());

            assertThatThrownBy(() -> network.workers().register("twin", "host-b", 2, Duration.ofSeconds(3),
                    Set.of())).isInstanceOf(StarlingException.class).hasMessageContaining("already has a worker 'twin'");
            assertThat(network.workers().get("twin")).hasValueSatisfying(w -> {
                assertThat(w.host()).isEqualTo("host-a");
                assertThat(w.ordinal()).isEqualTo(first.ordinal());
            });
        }

        @Test
        void hostileNetworkNames_areRefusedNamingTheRule_andTouchNoOtherNetwork() {
            tasks().push(payloads(1));
            for (String name : List.of("a{b}", "{x}", "star*", "with space", "a[b]", "x".repeat(10_000), "",
                    ":leading")) {
                assertThatThrownBy(() -> dev.starling.Network.open(store, name))
                        .isInstanceOf(IllegalArgumentException.class)
                        .hasMessageContaining("network name must be 1-128 letters")
                        .satisfies(e -> assertThat(e.getMessage().length()).isLessThan(300));
            }
            assertThat(tasks().counts().total()).isEqualTo(1);
        }

        @Test
        void metrics_areReadFromAPositionInOrder_andGoWithTheNetwork() {
            Instant t = clock.instant();
            network.metrics().append(List.of(
                    new MetricPoint(t, Map.of("loss", 3.0)),
                    new MetricPoint(t.plusMillis(1), Map.of("loss", 2.0, "gap", 0.5))));
            network.metrics().append(List.of(new MetricPoint(t.plusMillis(2), Map.of("loss", 1.0))));
            network.metrics().append(List.of());

            assertThat(network.metrics().read(0, 10)).extracting(p -> p.values().get("loss"))
                    .containsExactly(3.0, 2.0, 1.0);
            assertThat(network.metrics().read(1, 1)).singleElement().satisfies(p -> {
                assertThat(p.time()).isEqualTo(t.plusMillis(1));
                assertThat(p.values()).containsEntry("gap", 0.5);
            });
            assertThat(network.metrics().read(3, 10)).isEmpty();

            network.create(NetworkSettings.defaults());
            assertThat(network.metrics().read(0, 10)).as("a new network starts without metrics").isEmpty();
            network.metrics().append(List.of(new MetricPoint(t, Map.of("loss", 9.0))));
            network.delete();
            network.create(NetworkSettings.defaults());
            assertThat(network.metrics().read(0, 10)).isEmpty();
        }

        @Test
        void networks_areIsolatedFromEachOther() throws Exception {
            NetworkStore other = StoreBackend.of(store).network(network.name() + "-other");
            other.create(NetworkSettings.defaults());
            try {
                tasks().push(payloads(2));
                register("w1");

                assertThat(other.tasks().counts().total()).isZero();
                assertThat(other.workers().list()).isEmpty();
                assertThat(other.tasks().push(payloads(1))).containsExactly(1L);
            } finally {
                other.delete();
            }
        }

        @Test
        void networks_listsTheNetworksHeld_whateverTheirNames_andNotDeletedOnes() {
            // Characters special in Redis glob patterns, hash tags, key separators and URLs.
            String star = network.name() + "*";
            String sibling = network.name() + "b";
            String special = network.name() + " ?[x]\\{}:/%&#";
            List<NetworkStore> made = List.of(star, sibling, special).stream()
                    .map(name -> StoreBackend.of(store).network(name)).toList();
            made.forEach(n -> n.create(NetworkSettings.defaults()));
            made.get(1).tasks().push(payloads(1));
            try {
                assertThat(store.networks()).contains(network.name(), star, sibling, special).isSorted();

                made.get(0).delete();

                assertThat(store.networks()).contains(network.name(), sibling, special).doesNotContain(star);
                assertThat(made.get(1).tasks().counts().total()).isEqualTo(1);
            } finally {
                made.forEach(NetworkStore::delete);
            }
            assertThat(store.networks()).doesNotContain(sibling, special);
        }

        @Test
        void create_replacesTheNetworkAndItsSettings() {
            tasks().push(payloads(2));
            register("w1");

            network.create(new NetworkSettings(9, 10, 1));

            assertThat(network.settings()).contains(new NetworkSettings(9, 10, 1));
            assertThat(tasks().counts().total()).isZero();
            assertThat(network.workers().list()).isEmpty();
            assertThat(tasks().push(payloads(1))).containsExactly(1L);
            assertThat(network.createIfAbsent(NetworkSettings.defaults())).isEqualTo(new NetworkSettings(9, 10, 1));
        }

        @Test
        void delete_removesTheNetwork() {
            tasks().push(payloads(1));

            network.delete();

            assertThat(network.settings()).isEmpty();
            assertThat(network.createIfAbsent(NetworkSettings.defaults())).isEqualTo(NetworkSettings.defaults());
            assertThat(tasks().counts().total()).isZero();
        }

        @Test
        void terminalStates_neverChangeWhateverIsTried() throws Exception {
            String w = register("w1");
            tasks().push(payloads(2));
            Task a = claimOne(w);
            Task b = claimOne(w);
            tasks().finish(Lease.of(a), "{\"y\":1}");
            tasks().fail(Lease.of(b), TaskError.of(new RuntimeException("x")));
            Task finished = get(a.id());
            Task failed = get(b.id());

            tasks().finish(Lease.of(b), "{}");
            tasks().fail(Lease.of(a), TaskError.of(new RuntimeException("y")));
            assertThat(tasks().cancel(List.of(a.id(), b.id()))).isEmpty();
            network.retire(w, WorkerState.LOST);
            clock.advance(Duration.ofHours(1));
            sweep(Duration.ZERO);

            assertThat(get(a.id())).isEqualTo(finished);
            assertThat(get(b.id())).isEqualTo(failed);
            Set<Long> completed = new HashSet<>();
            tasks().completedSince(0, 10).tasks().forEach(t -> completed.add(t.id()));
            assertThat(completed).containsExactlyInAnyOrder(a.id(), b.id());
        }
    }
}
