package dev.starling.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The iteration framework on both stores, with worker threads: least squares by gradient descent. */
@Timeout(120)
class IterationTest {
    private Store store;
    private Controller controller;

    private Controller controller(String storeKind, String name) {
        store = storeKind.equals("redis") ? RedisStore.open(TestRedis.url()) : Store.memory();
        controller = Network.builder(store, name + "-" + System.nanoTime()).create().controller();
        return controller;
    }

    @AfterEach
    void close() {
        if (controller != null) {
            controller.close();
        }
        if (store != null) {
            store.close();
        }
    }

    private static Iteration<LeastSquares.Share, double[], double[]> gd() {
        return Iteration.of(LeastSquares.GradientDescent.class).problem(LeastSquares.Shares.class).workers(3);
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void bothModes_reachTheExactLeastSquaresSolution(String kind) throws Exception {
        Controller c = controller(kind, "converge");
        Stop stop = Stop.metric(1e-6).or(Stop.iterations(20_000));

        Iteration.Result<double[]> sync = gd().mode(Mode.SYNC).stopAt(stop).run(c);
        Iteration.Result<double[]> async = gd().mode(Mode.ASYNC).stopAt(stop).startWorkers(false).run(c);

        for (Iteration.Result<double[]> r : List.of(sync, async)) {
            assertThat(r.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-6);
            assertThat(r.query()).containsExactly(new double[] {1, 2, 3, 4, 5},
                    org.assertj.core.data.Offset.offset(0.05));
        }
        assertThat(sync.history().maxStaleness()).isZero();
        assertThat(sync.history().answers()).isEqualTo(3 * sync.history().iterations());
        // Both runs published their metric to the network, for the dashboard; each ends with its last step.
        List<dev.starling.MetricPoint> points = c.network().metrics(0, 100_000);
        assertThat(points).extracting(p -> p.values().get("iteration")).contains(
                (double) sync.history().iterations(), (double) async.history().iterations());
        assertThat(points.getLast().values()).containsKeys("metric", "staleness", "epoch")
                .containsEntry("metric", async.history().last().orElseThrow().metric());
    }

    @ParameterizedTest
    @ValueSource(strings = {"memory", "redis"})
    void boundedStalenessAndQuorum_reachTheSolutionToo(String kind) throws Exception {
        Controller c = controller(kind, "ssp-quorum");

        Iteration.Result<double[]> ssp = gd().mode(Mode.ssp(1)).stopAt(Stop.metric(1e-6).or(Stop.iterations(20_000)))
                .run(c);
        Iteration.Result<double[]> all = gd().mode(Mode.quorum(3)).startWorkers(false)
                .stopAt(Stop.metric(1e-6).or(Stop.iterations(20_000))).run(c);
        Iteration.Result<double[]> two = gd().mode(Mode.quorum(2)).startWorkers(false)
                .stopAt(Stop.metric(1e-3).or(Stop.iterations(20_000))).run(c);

        assertThat(ssp.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-6);
        assertThat(all.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-6);
        assertThat(two.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-3);
        assertThat(all.history().maxStaleness()).isZero();
    }

    @Test
    void ssp_neverLetsAWorkerRunMoreThanSPlusOneStepsAheadOfTheSlowest() throws Exception {
        Controller c = controller("memory", "ssp-bound");
        // The framework's straggler model: the last worker's steps take 300 times their compute.
        Stragglers slow = Stragglers.one(300);

        History lockStep = gd().mode(Mode.ssp(0)).stragglers(slow).stopAt(Stop.iterations(60)).run(c).history();
        History bounded = gd().mode(Mode.ssp(2)).stragglers(slow).stopAt(Stop.iterations(120)).startWorkers(false)
                .run(c).history();
        History free = gd().mode(Mode.ASYNC).stragglers(slow).stopAt(Stop.iterations(120)).startWorkers(false)
                .run(c).history();

        assertThat(lockStep.maxLead()).isEqualTo(1);
        long[] perWorker = lockStep.answersPerWorker();
        assertThat(Arrays.stream(perWorker).max().orElseThrow() - Arrays.stream(perWorker).min().orElseThrow())
                .isLessThanOrEqualTo(1);
        assertThat(bounded.maxLead()).isBetween(2L, 3L);
        assertThat(free.maxLead()).isGreaterThan(3);
    }

    @Test
    void quorumLargerThanTheWorkers_isRejected() {
        Controller c = controller("memory", "quorum");

        assertThatThrownBy(() -> gd().mode(Mode.quorum(4)).run(c)).hasMessageContaining("quorum of 4");
        assertThatThrownBy(() -> Mode.ssp(-1)).hasMessageContaining("staleness bound");
    }

    @Test
    void iterationAndEpochCounts_areExact() throws Exception {
        Controller c = controller("memory", "counts");

        History sync = gd().mode(Mode.SYNC).stopAt(Stop.iterations(40)).run(c).history();
        History async = gd().mode(Mode.ASYNC).stopAt(Stop.epochs(25)).startWorkers(false).run(c).history();

        assertThat(sync.iterations()).isEqualTo(40);
        assertThat(sync.epochs()).isEqualTo(40);
        assertThat(sync.answersPerWorker()).containsExactly(40, 40, 40);
        assertThat(async.epochs()).isEqualTo(25);
        assertThat(async.iterations()).isEqualTo(async.answers());
        assertThat(async.steps()).extracting(History.Step::iteration)
                .isEqualTo(java.util.stream.LongStream.rangeClosed(1, async.iterations()).boxed().toList());
    }

    @Test
    void asyncStaleness_isTheVersionsPublishedBetweenSendAndApply() throws Exception {
        Controller c = controller("memory", "staleness");

        History h = gd().mode(Mode.ASYNC).stopAt(Stop.iterations(300)).run(c).history();

        // With 3 workers each holding one query, an answer is applied after at most the other two workers' answers
        // to queries sent no earlier; its staleness is the central steps since it was sent.
        assertThat(h.steps()).allSatisfy(s -> assertThat(s.staleness()).isBetween(0, 300));
        assertThat(h.steps().get(0).staleness()).isZero();
        assertThat(h.meanStaleness()).isBetween(0.5, 3.0);
        // One worker: nothing is published between a query's send and its answer's apply.
        History alone = gd().workers(1).mode(Mode.ASYNC).stopAt(Stop.iterations(50)).run(c).history();
        assertThat(alone.steps()).allSatisfy(s -> assertThat(s.staleness()).isZero());
    }

    @Test
    void synchronousRuns_withTheSameData_giveTheSameHistory() throws Exception {
        Controller c = controller("memory", "repeat");

        List<Double> first = gd().mode(Mode.SYNC).stopAt(Stop.iterations(30)).run(c).history().steps().stream()
                .map(History.Step::metric).toList();
        List<Double> second = gd().mode(Mode.SYNC).stopAt(Stop.iterations(30)).startWorkers(false).run(c)
                .history().steps().stream().map(History.Step::metric).toList();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void withoutAProblem_runSaysWhatToGive() {
        Controller c = controller("memory", "noproblem");

        assertThatThrownBy(() -> Iteration.of(LeastSquares.GradientDescent.class).run(c))
                .hasMessageContaining(".problem(MyProblem.class)");
        assertThatThrownBy(() -> gd().workers(0)).hasMessageContaining("at least 1 worker");
    }

    @Test
    void stopOnTime_isHonouredWithinOneCentralStep() throws Exception {
        Controller c = controller("memory", "time");

        History h = gd().mode(Mode.ASYNC).stopAt(Stop.time(Duration.ofMillis(300))).run(c).history();

        assertThat(h.last().orElseThrow().seconds()).isGreaterThanOrEqualTo(0.3);
        assertThat(h.steps().get(h.steps().size() - 2).seconds()).isLessThan(0.3);
    }
}
