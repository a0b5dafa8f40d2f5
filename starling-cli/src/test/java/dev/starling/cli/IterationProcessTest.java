package dev.starling.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import dev.starling.WorkerProcess;
import dev.starling.algorithms.History;
import dev.starling.algorithms.Iteration;
import dev.starling.algorithms.IterationFunctions;
import dev.starling.algorithms.Mode;
import dev.starling.algorithms.Stop;
import dev.starling.algorithms.linear.LinearData;
import dev.starling.algorithms.linear.LinearProblem;
import dev.starling.algorithms.linear.Minibatch;
import dev.starling.algorithms.linear.Saga;
import dev.starling.algorithms.linear.StalenessRule;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The iteration framework with worker processes on Redis, one worker each, when one is killed with {@code kill -9}:
 * a synchronous run with resilience 1 goes on without it; an asynchronous run takes its replacement back, which
 * rebuilds the lost worker's share of the data from its index.
 */
@Timeout(180)
class IterationProcessTest {
    private static final WorkerOptions OPTIONS = WorkerOptions.builder().virtualThread(false)
            .heartbeatPeriod(Duration.ofMillis(300)).pollTimeout(Duration.ofMillis(100)).build();
    private static final LinearProblem.Settings PROBLEM = LinearProblem.Settings.generated("logreg", 6_000, 8, 4);

    private final Store store = RedisStore.open(TestRedis.url());
    private final Controller controller = Network.builder(store, "iterate-kill-" + System.nanoTime()).create()
            .controller();
    private final List<WorkerProcess> processes = new ArrayList<>();

    @AfterEach
    void close() {
        processes.forEach(WorkerProcess::kill);
        controller.close();
        store.close();
    }

    private WorkerProcess start(int index) {
        WorkerProcess p = controller.startProcesses(1, IterationFunctions.class,
                OPTIONS.withTags(Set.of(IterationFunctions.tag(index)))).getFirst();
        processes.add(p);
        return p;
    }

    private Iteration<LinearData, double[], ?> saga(Mode mode) throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        Placement.awaitRunning(controller, 3);
        return Iteration.of(Saga.class, new Minibatch(0, 0.02, StalenessRule.DAMP))
                .problem(LinearProblem.class, PROBLEM).workers(3).mode(mode).startWorkers(false)
                .lostAfter(Duration.ofMillis(500));
    }

    private static void kill(WorkerProcess p) {
        p.kill();
        try {
            p.waitFor(Duration.ofSeconds(30));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void sync_withResilienceOne_survivesAKilledWorkerProcess() throws Exception {
        long[] atKill = new long[1];
        History h = saga(Mode.SYNC).resilience(1).stopAt(Stop.when(history -> {
            if (history.iterations() == 20) {
                atKill[0] = history.answersPerWorker()[2];
                kill(processes.get(2));
            }
            // Goes on for 30 rounds once the loss is noticed.
            return history.workers().get(2).lost() && history.answersPerWorker()[0] >= atKill[0] + 30;
        }).or(Stop.time(Duration.ofSeconds(90)))).run(controller).history();

        assertThat(h.workers().get(2).lost()).isTrue();
        assertThat(h.answersPerWorker()[0]).isGreaterThanOrEqualTo(atKill[0] + 30);
        assertThat(h.answersPerWorker()[2]).isBetween(atKill[0], atKill[0] + 1);
        assertThat(h.epochs()).isEqualTo(h.answersPerWorker()[0]);
    }

    @Test
    void async_takesBackTheReplacementOfAKilledWorkerProcess() throws Exception {
        long[] atReplacement = {-1};
        History h = saga(Mode.ASYNC).stopAt(Stop.when(history -> {
            if (history.iterations() == 30) {
                kill(processes.get(2));
            }
            if (atReplacement[0] < 0 && history.workers().get(2).lost()) {
                atReplacement[0] = history.answersPerWorker()[2];
                start(2);
            }
            return atReplacement[0] >= 0 && history.answersPerWorker()[2] >= atReplacement[0] + 20;
        }).or(Stop.time(Duration.ofSeconds(120)))).run(controller).history();

        assertThat(atReplacement[0]).isNotNegative();
        assertThat(h.answersPerWorker()[2]).isGreaterThanOrEqualTo(atReplacement[0] + 20);
        assertThat(h.workers().get(2).lost()).isFalse();
        assertThat(h.answers()).isEqualTo(h.iterations());
    }
}
