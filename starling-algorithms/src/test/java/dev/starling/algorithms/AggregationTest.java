package dev.starling.algorithms;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.starling.Controller;
import dev.starling.Network;
import dev.starling.Store;
import java.lang.reflect.Array;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The aggregation and averaging helpers: what the central step sees, and the central memory they keep. */
@Timeout(120)
class AggregationTest {
    private static final int LENGTH = 100_000;
    private static final long ANSWER_BYTES = 8L * LENGTH;

    /** Sums the latest answers' mean into its query, so a test can read what the central step saw. */
    public static final class MeanOf extends Averaging<Void, double[]> {
        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public double[] init(Void problem) {
            return new double[0];
        }

        @Override
        protected double[] answer(double[] query, Void problem) {
            return query;
        }

        @Override
        protected double[] central(double[] mean, Void problem) {
            return mean;
        }
    }

    /** The same with the aggregation helper. */
    public static final class LatestOf extends Aggregation<Void, double[]> {
        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public double[] init(Void problem) {
            return new double[0];
        }

        @Override
        public double[] step(double[] query, Void problem) {
            return query;
        }

        @Override
        protected double[] central(double[] mean, Void problem) {
            return mean;
        }
    }

    private static double[] filled(double value) {
        double[] a = new double[LENGTH];
        java.util.Arrays.fill(a, value);
        return a;
    }

    /** The bytes of primitive arrays reachable from {@code root} through its fields (its retained array heap). */
    private static long arrayBytes(Object root) throws IllegalAccessException {
        Set<Object> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Deque<Object> todo = new ArrayDeque<>(List.of(root));
        long bytes = 0;
        while (!todo.isEmpty()) {
            Object o = todo.pop();
            if (o == null || !seen.add(o)) {
                continue;
            }
            Class<?> type = o.getClass();
            if (type.isArray()) {
                if (type.getComponentType().isPrimitive()) {
                    bytes += (long) Array.getLength(o) * (type.getComponentType() == double.class ? 8 : 4);
                } else {
                    for (int i = 0; i < Array.getLength(o); i++) {
                        if (Array.get(o, i) != null) {
                            todo.push(Array.get(o, i));
                        }
                    }
                }
                continue;
            }
            for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
                for (Field f : c.getDeclaredFields()) {
                    if (!Modifier.isStatic(f.getModifiers()) && !f.getType().isPrimitive()) {
                        f.setAccessible(true);
                        if (f.get(o) != null) {
                            todo.push(f.get(o));
                        }
                    }
                }
            }
        }
        return bytes;
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8, 64})
    void averaging_keepsAboutTwoAnswersCentrally_whateverTheWorkersAndIterations(int workers) throws Exception {
        MeanOf central = new MeanOf();
        central.workers(workers);
        MeanOf[] onWorkers = new MeanOf[workers];
        for (int w = 0; w < workers; w++) {
            onWorkers[w] = new MeanOf();
        }
        long afterOneRound = 0;
        double[] mean = null;
        for (int round = 1; round <= 5; round++) {
            for (int w = 0; w < workers; w++) {
                double[] delta = onWorkers[w].step(filled(round * (w + 1)), null);
                mean = central.central(new Answer<>(delta, w, round, 0), null);
            }
            if (round == 1) {
                afterOneRound = arrayBytes(central);
            }
        }

        // The mean of the latest answers, round 5: 5 (w + 1) averaged over w.
        assertThat(mean[0]).isCloseTo(5.0 * (workers + 1) / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(arrayBytes(central)).isEqualTo(afterOneRound).isLessThanOrEqualTo(2 * ANSWER_BYTES);
    }

    @ParameterizedTest
    @ValueSource(ints = {2, 8})
    void aggregation_keepsOneAnswerPerWorker_andNeverGrowsWithTheIterations(int workers) throws Exception {
        LatestOf central = new LatestOf();
        central.workers(workers);
        long afterOneRound = 0;
        double[] mean = null;
        for (int round = 1; round <= 5; round++) {
            for (int w = 0; w < workers; w++) {
                mean = central.central(new Answer<>(filled(round * (w + 1)), w, round, 0), null);
            }
            if (round == 1) {
                afterOneRound = arrayBytes(central);
            }
        }

        assertThat(mean[0]).isCloseTo(5.0 * (workers + 1) / 2, org.assertj.core.data.Offset.offset(1e-9));
        assertThat(arrayBytes(central)).isEqualTo(afterOneRound).isLessThanOrEqualTo((workers + 2) * ANSWER_BYTES);
    }

    @Test
    void aWorkerThatHasNotAnswered_countsAsZero_andAnswersOfAnotherLength_areRefused() {
        LatestOf central = new LatestOf();
        central.workers(4);

        double[] mean = central.central(new Answer<>(new double[] {8}, 1, 0, 0), null);

        assertThat(mean).containsExactly(2);
        assertThatThrownBy(() -> central.central(new Answer<>(new double[] {1, 2}, 2, 0, 0), null))
                .hasMessageContaining("one length: 1 before, 2 from worker 2");
    }

    @ParameterizedTest
    @ValueSource(strings = {"sync", "async"})
    void bothHelpers_driveGradientDescentToTheSolution(String mode) throws Exception {
        try (Store store = Store.memory();
             Controller c = Network.builder(store, "helpers-" + mode).create().controller()) {
            Mode m = mode.equals("sync") ? Mode.SYNC : Mode.ASYNC;
            Stop stop = Stop.metric(1e-6).or(Stop.iterations(20_000));

            Iteration.Result<double[]> aggregated = Iteration.of(LeastSquares.AggregatedDescent.class)
                    .problem(LeastSquares.Shares.class).workers(3).mode(m).stopAt(stop).run(c);
            Iteration.Result<double[]> averaged = Iteration.of(LeastSquares.AveragedDescent.class)
                    .problem(LeastSquares.Shares.class).workers(3).mode(m).stopAt(stop).startWorkers(false).run(c);

            assertThat(aggregated.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-6);
            assertThat(averaged.history().last().orElseThrow().metric()).isLessThanOrEqualTo(1e-6);
        }
    }

    @Test
    void history_keepsABoundedNumberOfSteps_thinningTheOldOnes() {
        History h = new History(1);
        for (int i = 0; i < 3 * History.MAX_STEPS; i++) {
            h.count();
            h.record(i);
        }

        assertThat(h.steps().size()).isBetween(History.MAX_STEPS / 2, History.MAX_STEPS);
        assertThat(h.steps().getFirst().iteration()).isEqualTo(1);
        assertThat(h.last().orElseThrow().iteration()).isEqualTo(3L * History.MAX_STEPS);
        assertThat(h.iterations()).isEqualTo(3L * History.MAX_STEPS);
    }
}
