package dev.starling.algorithms.admm;

import dev.starling.algorithms.internal.Cholesky;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import dev.starling.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** ADMM on the memory store with worker threads that keep their chunks; small problems, real convergence. */
@Timeout(120)
class AdmmTest {
    private static final int WORKERS = 2;
    private static final LassoProblem SMALL = new LassoProblem(8_000, 12, 4, 1.2, 7.2, LassoProblem.Loss.MEAN,
            LassoProblem.Local.EXACT, 3);

    private Store store;
    private Controller controller;

    @BeforeEach
    void start() {
        store = Store.memory();
        controller = Network.builder(store, "admm").create().controller();
        for (int w = 0; w < WORKERS; w++) {
            controller.startWorkers(1, new AdmmFunctions(), WorkerOptions.defaults()
                    .withTags(AdmmFunctions.tags(w, WORKERS, SMALL.chunks())));
        }
    }

    @AfterEach
    void stop() {
        controller.close();
        store.close();
    }

    private Admm.Result run(LassoProblem problem, Admm.Variant variant, double straggler) throws Exception {
        Admm admm = Admm.prepare(controller.futures(), problem, WORKERS, Duration.ofSeconds(60));
        return admm.run(new Admm.Settings(variant, Duration.ofSeconds(60), 1e-6, straggler, 1), step -> { });
    }

    @ParameterizedTest
    @EnumSource(Admm.Variant.class)
    void everyVariant_reachesTheReferenceMinimum(Admm.Variant variant) throws Exception {
        Admm.Result r = run(SMALL, variant, 1);

        assertThat(r.converged()).as("gap %s after %s updates", r.gap(), r.updates()).isTrue();
        assertThat(r.gap()).isLessThanOrEqualTo(1e-6);
        assertThat(r.objective()).isGreaterThanOrEqualTo(r.reference() * (1 - 1e-12));
        assertThat(r.trace()).isNotEmpty();
        assertThat(r.stream()).hasSize((int) r.updates());
        assertThat(r.stream()).extracting(Admm.Bar::worker).doesNotContainNull();
        if (variant == Admm.Variant.SYNC) {
            assertThat(r.updates() % SMALL.chunks()).isZero();
            assertThat(r.maxStaleness()).isZero();
        } else if (variant != Admm.Variant.BATCHED) {
            // Four tasks in flight, applied one at a time: the later ones were sent before the earlier were applied.
            // (A batch may take all four at once, so a batched run can see no staleness at all.)
            assertThat(r.maxStaleness()).isPositive();
        }
    }

    @Test
    void iterativeLocalSolver_convergesToTheSameMinimum() throws Exception {
        Admm.Result exact = run(SMALL, Admm.Variant.SYNC, 1);
        Admm.Result iterative = run(SMALL.withLocal(LassoProblem.Local.ITERATIVE), Admm.Variant.SYNC, 1);

        assertThat(iterative.converged()).isTrue();
        assertThat(iterative.reference()).isEqualTo(exact.reference());
    }

    @Test
    void chunksAreBuiltOnTheWorkersThatCarryThem() throws Exception {
        Admm.Result r = run(SMALL, Admm.Variant.ASYNC, 1);
        List<String> ids = controller.workers().stream().map(w -> w.id()).toList();

        for (Admm.Bar bar : r.stream()) {
            String owner = ids.get(bar.chunk() % WORKERS);
            assertThat(bar.worker()).as("chunk %d", bar.chunk()).isEqualTo(owner);
        }
    }

    @Test
    void reference_matchesTheObjectiveOfItsArgmin() {
        double[] g = {2, 0, 0, 2};
        double[] c = {3, -0.5};
        Reference ref = new Reference(g, c, 10, 1);

        // minimise 2x² − 6x + |x| and 2y² + y + |y|: x = 1.25, y = 0
        assertThat(ref.argmin()[0]).isCloseTo(1.25, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ref.argmin()[1]).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(ref.minimum()).isCloseTo(2 * 1.5625 - 7.5 + 10 + 1.25, org.assertj.core.data.Offset.offset(1e-9));
    }

    @Test
    void cholesky_solvesASymmetricPositiveDefiniteSystem() {
        double[] a = {4, 2, 0.6, 2, 5, 1, 0.6, 1, 3};
        double[] x = {1, -2, 0.5};
        double[] b = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                b[i] += a[i * 3 + j] * x[j];
            }
        }

        assertThat(new Cholesky(a, 3).solve(b)).containsExactly(x, org.assertj.core.data.Offset.offset(1e-12));
        assertThatThrownBy(() -> new Cholesky(new double[] {1, 2, 2, 1}, 2)).hasMessageContaining("positive definite");
    }

    @Test
    void badProblems_areRejectedNamingTheProblem() {
        assertThatThrownBy(() -> new LassoProblem(1_001, 10, 4, 1.2, 7.2, LassoProblem.Loss.MEAN,
                LassoProblem.Local.EXACT, 0)).hasMessageContaining("multiple of chunks");
        assertThatThrownBy(() -> new Admm.Settings(Admm.Variant.SYNC, Duration.ofSeconds(1), 1e-6, 0.5, 0))
                .hasMessageContaining("straggler");
    }

    @Test
    void steps_areReportedAsTheyHappen() throws Exception {
        Admm admm = Admm.prepare(controller.futures(), SMALL, WORKERS, Duration.ofSeconds(60));
        List<Admm.Step> seen = new ArrayList<>();
        Admm.Result r = admm.run(new Admm.Settings(Admm.Variant.BATCHED, Duration.ofSeconds(60), 1e-6, 1, 2),
                seen::add);

        assertThat(seen).isEqualTo(r.trace());
    }

    @Test
    void steps_goToTheNetworksMetrics_endingWithTheLastStep() throws Exception {
        Admm admm = Admm.prepare(controller.futures(), SMALL, WORKERS, Duration.ofSeconds(60));
        Admm.Result r = admm.run(new Admm.Settings(Admm.Variant.SYNC, Duration.ofSeconds(60), 1e-6, 1, 1),
                step -> { });

        List<dev.starling.MetricPoint> points = controller.network().metrics(0, 100_000);
        assertThat(points).isNotEmpty().hasSizeLessThanOrEqualTo(r.trace().size());
        assertThat(points.getLast().values()).containsOnlyKeys("primal", "dual", "gap", "objective", "staleness")
                .containsEntry("gap", r.trace().getLast().gap());
    }
}
