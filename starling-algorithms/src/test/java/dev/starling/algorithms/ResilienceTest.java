package dev.starling.algorithms;

import static org.assertj.core.api.Assertions.assertThat;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.Worker;
import dev.starling.WorkerOptions;
import dev.starling.testkit.ManualScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Lost workers, on the memory store with a manual scheduler: a worker thread is killed mid-run, time moves on past
 * {@link Iteration#lostAfter}, and the run goes on without it, or waits for its replacement.
 */
@Timeout(60)
class ResilienceTest {
    private static final Duration LOST_AFTER = Duration.ofSeconds(2);
    private final ManualScheduler time = new ManualScheduler();
    private final Store store = Store.memory(time);
    private final Controller controller = Network.builder(store, "resilience").create().controller();
    private final List<Worker> workers = new ArrayList<>();

    @AfterEach
    void close() {
        controller.close();
        store.close();
    }

    private Worker start(int index) {
        Worker w = controller.startWorkers(1, new IterationFunctions(), WorkerOptions.builder().virtualThread(false)
                .tags(Set.of(IterationFunctions.tag(index))).build()).getFirst();
        workers.add(w);
        return w;
    }

    private Iteration<LeastSquares.Share, double[], double[]> gd(Mode mode) {
        for (int i = 0; i < 3; i++) {
            start(i);
        }
        return Iteration.of(LeastSquares.GradientDescent.class).problem(LeastSquares.Shares.class).workers(3)
                .mode(mode).startWorkers(false).lostAfter(LOST_AFTER);
    }

    /** Kills a worker. */
    private void lose(int index) {
        try {
            Worker w = workers.get(index);
            w.kill();
            w.join(Duration.ofSeconds(10));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Time moves on by 100 ms with each central step, from the given one on, so that a loss is noticed. */
    private void tick(History history, long from) {
        if (history.iterations() >= from) {
            time.advance(Duration.ofMillis(100));
        }
    }

    @Test
    void async_goesOnWithoutALostWorker_countsEpochsOfLiveOnes_andTakesBackItsReplacement() throws Exception {
        long[] whileLost = new long[3];
        long[] epochsWhileLost = new long[1];
        long[] answersOfLostWorker = new long[1];
        History h = gd(Mode.ASYNC).stopAt(Stop.when(history -> {
            if (history.iterations() == 30) {
                lose(2);
            }
            tick(history, 30);
            if (history.iterations() == 300) {
                whileLost[0] = history.answersPerWorker()[2];
                epochsWhileLost[0] = history.epochs();
                answersOfLostWorker[0] = history.answersPerWorker()[2];
                start(2);
            }
            return history.iterations() >= 600;
        })).run(controller).history();

        // Worker 2 stopped answering, the others went on, and epochs counted the live ones only.
        assertThat(answersOfLostWorker[0]).isLessThan(15);
        assertThat(epochsWhileLost[0]).isGreaterThan(answersOfLostWorker[0]);
        // Its replacement rebuilt its problem and answered again; it is live at the end.
        assertThat(h.answersPerWorker()[2]).isGreaterThan(answersOfLostWorker[0] + 20);
        assertThat(h.workers().get(2).lost()).isFalse();
        assertThat(h.answers()).isEqualTo(h.iterations());
    }

    @Test
    void sync_withResilienceOne_goesOnWithoutALostWorker() throws Exception {
        long[] atLoss = new long[1];
        // A synchronous round waits for the lost worker, so no central step moves time: a thread does.
        java.util.concurrent.atomic.AtomicBoolean ticking = new java.util.concurrent.atomic.AtomicBoolean();
        Thread ticker = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                if (ticking.get()) {
                    time.advance(Duration.ofMillis(50));
                }
                Thread.yield();
            }
        });
        History h;
        try {
            h = gd(Mode.SYNC).resilience(1).stopAt(Stop.when(history -> {
                if (history.iterations() == 10) {
                    atLoss[0] = history.answersPerWorker()[2];
                    lose(2);
                    ticking.set(true);
                }
                return history.iterations() >= 60;
            })).run(controller).history();
        } finally {
            ticker.interrupt();
        }

        long[] answers = h.answersPerWorker();
        assertThat(answers[0]).isEqualTo(60);
        assertThat(answers[1]).isEqualTo(60);
        assertThat(answers[2]).isBetween(atLoss[0], atLoss[0] + 1);
        assertThat(h.workers().get(2).lost()).isTrue();
        assertThat(h.epochs()).isEqualTo(60);
    }

    @Test
    void sync_withoutResilience_waitsForTheReplacement_andAppliesEveryAnswerOnce() throws Exception {
        History h = gd(Mode.SYNC).stopAt(Stop.when(history -> {
            if (history.iterations() == 10) {
                lose(2);
                start(2);
            }
            return history.iterations() >= 40;
        })).run(controller).history();

        assertThat(h.answersPerWorker()).containsExactly(40, 40, 40);
        assertThat(h.maxStaleness()).isZero();
        assertThat(h.last().orElseThrow().metric()).isLessThan(h.steps().get(9).metric());
    }

    @Test
    void sync_waitingForAReplacementThatNeverComes_stillStopsOnTime() throws Exception {
        History h = gd(Mode.SYNC).stopAt(Stop.time(Duration.ofMillis(500)).or(Stop.when(history -> {
            if (history.iterations() == 5) {
                lose(2);
            }
            return false;
        }))).run(controller).history();

        assertThat(h.iterations()).isBetween(5L, 6L);
        assertThat(h.seconds()).isGreaterThanOrEqualTo(0.5).isLessThan(30);
        assertThat(h.last().orElseThrow().iteration()).isEqualTo(h.iterations());
    }
}
