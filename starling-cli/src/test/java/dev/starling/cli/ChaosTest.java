package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Task;
import dev.starling.TaskState;
import dev.starling.WorkerInfo;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.WorkerState;
import dev.starling.optimize.Optimization;
import dev.starling.optimize.OptimizationResult;
import dev.starling.optimize.Optimizer;
import dev.starling.optimize.Problem;
import dev.starling.optimize.Terminator;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Chaos: tasks run on Redis in 4 worker processes of 2 workers each while, in turn, a worker process is killed with
 * SIGKILL (the nanny replaces it), every client connection is killed, Redis is paused (SIGSTOP, then SIGCONT a few
 * seconds later), and Redis is crashed and restarted from its append-only file. At the end every task is FINISHED
 * exactly once: none lost, none completed twice, none failed. In CI it runs 4,000 tasks; {@code bench/chaos.sh
 * --minutes N} runs the same for N minutes with tasks pushed all along ({@code -Dchaos.minutes=N}).
 */
class ChaosTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder()
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();

    enum Fault { KILL_WORKER_PROCESS, KILL_CLIENTS, PAUSE_REDIS, RESTART_REDIS }

    @Test
    @Timeout(value = 30, unit = java.util.concurrent.TimeUnit.MINUTES)
    void tasksUnderSustainedFaults_finishExactlyOnce_noneLost() throws Exception {
        double minutes = Double.parseDouble(System.getProperty("chaos.minutes", "0"));
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        Random random = new Random(7);
        long start = System.nanoTime();
        try (TestRedis.Server redis = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
             Store store = RedisStore.open(redis.url() + "?retry=60000");
             Controller c = Network.builder(store, "chaos").maxAttempts(20).create().controller()) {
            c.restartProcesses(1_000);
            List<Long> ids = new ArrayList<>(c.push(batch(0, 4_000)));
            c.startProcesses(4, 2, SlowSquare.class, OPTIONS);
            long soakUntil = start + (long) (minutes * 60e9);
            int round = 0;
            // In CI, faults go on until every task is done; in a soak, for its minutes, then the rest may finish.
            while (minutes > 0 ? System.nanoTime() < soakUntil : c.counts().finished() < ids.size()) {
                if (System.nanoTime() < soakUntil && ids.size() - c.counts().completed() < 3_000) {
                    ids.addAll(c.push(batch(ids.size(), 2_000)));
                }
                Fault fault = Fault.values()[round++ % Fault.values().length];
                inject(fault, c, redis, random);
                injected.merge(fault, 1, Integer::sum);
                Thread.sleep(300 + random.nextInt(700));
                assertThat(System.nanoTime() - start).as("chaos ran past its time; %s finished of %s",
                        c.counts().finished(), ids.size()).isLessThan((long) ((minutes + 5) * 60e9));
            }
            assertThat(c.await(ids, Duration.ofMinutes(5))).as("every task done %s after the faults stopped",
                    minutes > 0 ? "within 5 minutes" : "").isTrue();

            List<Task> completed = c.completed();
            Set<Long> once = new HashSet<>();
            List<Long> twice = completed.stream().map(Task::id).filter(id -> !once.add(id)).toList();
            Set<Long> lost = new HashSet<>(ids);
            lost.removeAll(once);
            List<Task> failed = completed.stream().filter(t -> t.state() != TaskState.FINISHED).toList();
            System.out.printf(Locale.ROOT, "chaos: %d tasks in %.0f s; faults: %s; finished %d, duplicates %d,"
                            + " lost %d, failed %d, worker processes started %d%n", ids.size(),
                    (System.nanoTime() - start) / 1e9, injected, completed.size() - failed.size(), twice.size(),
                    lost.size(), failed.size(), c.processes().size());
            assertThat(twice).as("completed twice").isEmpty();
            assertThat(lost).as("lost").isEmpty();
            assertThat(failed).as("failed, with their causes").isEmpty();
            assertThat(completed).allSatisfy(t -> assertThat(t.ys().get("y"))
                    .isEqualTo(Math.pow(((Number) t.xs().get("x")).doubleValue(), 2)));
            assertThat(injected).as("every kind of fault was injected").containsOnlyKeys(Fault.values());
            assertThat(c.processes().size()).isGreaterThan(4);
            c.terminateWorkers();
        }
    }

    @Test
    @Timeout(value = 5, unit = java.util.concurrent.TimeUnit.MINUTES)
    void freeLoopsUnderTheSameFaults_reachTheirBudgetExactly() throws Exception {
        Map<Fault, Integer> injected = new EnumMap<>(Fault.class);
        Random random = new Random(11);
        int budget = 600;
        try (TestRedis.Server redis = TestRedis.start("--appendonly", "yes", "--appendfsync", "always");
             Store store = RedisStore.open(redis.url() + "?retry=60000")) {
            Network network = Network.builder(store, "chaos-optimize").maxAttempts(20).create();
            CompletableFuture<OptimizationResult> run = CompletableFuture.supplyAsync(() -> {
                        try {
                            return Optimization.on(network).problem(Problem.branin()).optimizer(Optimizer.random())
                                    .terminator(Terminator.evaluations(budget)).processes(4, 8)
                                    .delay(Duration.ofMillis(40)).workerOptions(OPTIONS).maxRestarts(1_000).run();
                        } catch (InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    }, Executors.newVirtualThreadPerTaskExecutor());
            while (network.counts().finished() < 20) {
                Thread.sleep(50);
            }
            int round = 0;
            while (!run.isDone()) {
                Fault fault = Fault.values()[round++ % Fault.values().length];
                if (fault == Fault.KILL_WORKER_PROCESS) {
                    // The optimization's own controller started the processes: kill one by the pid it registered.
                    List<Long> pids = network.workers().stream().filter(w -> w.state() == WorkerState.RUNNING)
                            .map(WorkerInfo::pid).distinct().toList();
                    if (!pids.isEmpty()) {
                        ProcessHandle.of(pids.get(random.nextInt(pids.size())))
                                .ifPresent(ProcessHandle::destroyForcibly);
                    }
                } else {
                    inject(fault, null, redis, random);
                }
                injected.merge(fault, 1, Integer::sum);
                Thread.sleep(300 + random.nextInt(700));
            }
            OptimizationResult result = run.get();

            List<Task> completed = network.archive().update();
            System.out.printf(Locale.ROOT, "chaos (free loops): budget %d; faults: %s; evaluations %d, finished %d,"
                    + " created %d%n", budget, injected, result.archive().size(), network.counts().finished(),
                    network.counts().total());
            String left = "not finished: " + network.tasks(TaskState.QUEUED).stream().map(Task::id).toList() + ", running "
                    + network.tasks(TaskState.RUNNING).stream().map(t -> t.id() + " under " + t.worker() + " attempt "
                    + t.attempts()).toList() + ", failed " + network.tasks(TaskState.FAILED).stream().map(t -> t.id()
                    + " under " + t.worker() + " attempt " + t.attempts() + ": " + t.error()).toList() + "; workers " + network.workers().stream().map(w -> w.id() + " "
                    + w.state() + " pid " + w.pid() + " recovered " + w.recovered() + " hb " + w.lastHeartbeat()
                    + " stopped " + w.stopped()).toList();
            assertThat(network.counts().total()).as("created exactly the budget").isEqualTo(budget);
            assertThat(network.counts().finished()).as("finished exactly the budget; %s", left).isEqualTo(budget);
            assertThat(completed).extracting(Task::id).doesNotHaveDuplicates().hasSize(budget);
            assertThat(result.archive().size()).isEqualTo(budget);
            assertThat(injected).as("faults were injected while it ran").isNotEmpty();
        }
    }

    private static List<Map<String, Object>> batch(int from, int n) {
        return IntStream.range(from, from + n).<Map<String, Object>>mapToObj(i -> Map.of("x", (double) i)).toList();
    }

    private static void inject(Fault fault, Controller c, TestRedis.Server redis, Random random)
            throws InterruptedException {
        switch (fault) {
            case KILL_WORKER_PROCESS -> {
                List<WorkerProcess> alive = c.processes().stream().filter(WorkerProcess::isAlive).toList();
                if (!alive.isEmpty()) {
                    alive.get(random.nextInt(alive.size())).kill();
                }
            }
            case KILL_CLIENTS -> redis.killClients();
            case PAUSE_REDIS -> {
                redis.pause();
                Thread.sleep(500 + random.nextInt(1_500));
                redis.resume();
            }
            case RESTART_REDIS -> {
                redis.stop();
                Thread.sleep(200 + random.nextInt(800));
                redis.start();
            }
        }
    }
}
