package dev.starling.algorithms.linear;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.algorithms.History;
import dev.starling.algorithms.Iteration;
import dev.starling.algorithms.Mode;
import dev.starling.algorithms.Stop;
import dev.starling.redis.RedisStore;
import dev.starling.testkit.TestRedis;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** SGD and SAGA on generated least-squares and logistic problems, against the exact optimum. */
@Timeout(180)
class LinearModelsTest {
    private static final double GAP = 1e-3;
    private Store store;
    private Controller controller;

    private Controller controller(String storeKind) {
        store = storeKind.equals("redis") ? RedisStore.open(TestRedis.url()) : Store.memory();
        controller = Network.builder(store, "linear-" + System.nanoTime()).create().controller();
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

    private static LinearProblem.Settings problem(String loss) {
        return LinearProblem.Settings.generated(loss, 4_000, 8, 3);
    }

    private static double reference(LinearProblem.Settings settings) {
        LinearData all = new LinearProblem(settings).central(4);
        return all.objective(all.optimum());
    }

    private static Stop within(double reference, long maxIterations) {
        return Stop.metric(reference * (1 + GAP)).or(Stop.iterations(maxIterations));
    }

    @Test
    void optimum_hasAZeroGradient_andBeatsItsNeighbours() {
        for (String loss : List.of("lsq", "logreg")) {
            LinearData all = new LinearProblem(problem(loss)).central(1);
            double[] w = all.optimum();
            double f = all.objective(w);
            for (int j = 0; j < w.length; j++) {
                for (double h : new double[] {-1e-4, 1e-4}) {
                    double[] v = w.clone();
                    v[j] += h;
                    assertThat(all.objective(v)).isGreaterThan(f);
                }
            }
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} on {3}")
    @CsvSource({
            "saga, logreg, sync, memory", "saga, logreg, async, memory", "saga, logreg, ssp:1, memory",
            "saga, logreg, quorum:3, memory", "saga, lsq, async, memory", "saga, lsq, sync, memory",
            "sgd, logreg, sync, memory", "sgd, logreg, async, memory", "sgd, lsq, async, memory",
            "saga, logreg, async, redis", "sgd, lsq, sync, redis"})
    void everyMode_reachesTheExactOptimum(String algorithm, String loss, String mode, String storeKind)
            throws Exception {
        Controller c = controller(storeKind);
        LinearProblem.Settings settings = problem(loss);
        double reference = reference(settings);
        Mode m = switch (mode) {
            case "sync" -> Mode.SYNC;
            case "async" -> Mode.ASYNC;
            case "ssp:1" -> Mode.ssp(1);
            default -> Mode.quorum(3);
        };

        Iteration<LinearData, double[], ?> it = algorithm.equals("sgd")
                ? Iteration.of(Sgd.class, new Minibatch(0, 0.05, StalenessRule.DAMP))
                : Iteration.of(Saga.class, new Minibatch(0, 0.05, StalenessRule.DAMP));
        History h = it.problem(LinearProblem.class, settings).workers(4).mode(m).recordEvery(4)
                .stopAt(within(reference, 40_000)).run(c).history();

        assertThat(h.last().orElseThrow().metric()).isLessThanOrEqualTo(reference * (1 + GAP));
    }

    @Test
    void sagaOnCreditG_aRealDataSet_reachesItsExactOptimum() throws Exception {
        Controller c = controller("memory");
        LinearProblem.Settings settings = new LinearProblem.Settings("logreg", "credit-g", null, 0, 0, 5, 1e-2);
        LinearData all = new LinearProblem(settings).central(2);
        double reference = all.objective(all.optimum());

        History h = Iteration.of(Saga.class, new Minibatch(0, 0.05, StalenessRule.DAMP))
                .problem(LinearProblem.class, settings).workers(2).mode(Mode.ASYNC).recordEvery(2)
                .stopAt(within(reference, 200_000)).run(c).history();

        assertThat(all.rows()).isEqualTo(1000);
        assertThat(h.last().orElseThrow().metric()).isLessThanOrEqualTo(reference * (1 + GAP));
    }

    @Test
    void sagaSync_convergesFarPastTheGap_toTheOptimalWeights() throws Exception {
        Controller c = controller("memory");
        LinearProblem.Settings settings = problem("logreg");
        LinearData all = new LinearProblem(settings).central(2);
        double[] optimum = all.optimum();
        double reference = all.objective(optimum);

        Iteration.Result<double[]> r = Iteration.of(Saga.class, new Minibatch(0, 0.2, StalenessRule.DAMP))
                .problem(LinearProblem.class, settings).workers(2).mode(Mode.SYNC).recordEvery(10)
                .stopAt(Stop.metric(reference * (1 + 1e-9)).or(Stop.iterations(100_000))).run(c);

        assertThat(r.history().last().orElseThrow().metric()).isLessThanOrEqualTo(reference * (1 + 1e-9));
        assertThat(r.query()).containsExactly(optimum, org.assertj.core.data.Offset.offset(1e-3));
    }

    @Test
    void badSettings_sayWhatIsWrong() {
        assertThatThrownBy(() -> LinearProblem.Settings.generated("ols", 10, 2, 1)).hasMessageContaining("lsq or logreg");
        assertThatThrownBy(() -> new Minibatch(0, 2, null)).hasMessageContaining("fraction");
        assertThatThrownBy(() -> new Minibatch(-1, 0.1, null)).hasMessageContaining("step size");
    }
}
