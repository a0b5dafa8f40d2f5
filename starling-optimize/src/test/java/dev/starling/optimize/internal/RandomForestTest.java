package dev.starling.optimize.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;
import org.junit.jupiter.api.Test;

/** The random forest: accuracy, uncertainty away from the data, determinism, inactive values, input checks. */
class RandomForestTest {
    private static final RandomForest.Settings DEFAULTS = RandomForest.Settings.defaults();

    private static double smooth(double[] p) {
        return Math.sin(2 * Math.PI * p[0]) + Math.cos(Math.PI * p[1]) + p[0] * p[1];
    }

    private static double gapFunction(double[] p) {
        return Math.sin(6 * p[0]) + p[0];
    }

    @Test
    void fit_learnsASmoothFunction_onHeldOutPoints() {
        // 2,500 rows also exercise the coarse bins used above 2,048 rows.
        for (int n : new int[] {500, 2_500}) {
            SplittableRandom random = new SplittableRandom(n);
            double[][] x = uniform(random, n, 2);
            RandomForest forest = RandomForest.fit(x, values(x, RandomForestTest::smooth), DEFAULTS, 1);

            double[][] test = uniform(random, 500, 2);
            double[] mean = new double[test.length];
            forest.predict(test, mean, new double[test.length]);
            // The forest reaches about 0.98 here; stumps reach 0.6, trees of depth 2 about 0.8.
            assertThat(rSquared(mean, values(test, RandomForestTest::smooth))).as("R² with %d rows", n)
                    .isGreaterThan(0.9);
        }
    }

    @Test
    void predict_uncertaintyGrowsInAGapBetweenTheData() {
        SplittableRandom random = new SplittableRandom(3);
        double[][] x = new double[200][1];
        for (int i = 0; i < x.length; i++) {
            double u = random.nextDouble() * 0.7;
            x[i][0] = u < 0.35 ? u : u + 0.3; // [0, 0.35) and [0.65, 1)
        }
        RandomForest forest = RandomForest.fit(x, values(x, RandomForestTest::gapFunction), DEFAULTS, 4);

        double[] atData = sds(forest, x);
        double[][] gap = new double[21][1];
        for (int i = 0; i < gap.length; i++) {
            gap[i][0] = 0.45 + 0.005 * i;
        }
        double[] inGap = sds(forest, gap);
        // About 40 times larger; thresholds placed mid-way between the bracketing values instead of at random give
        // less than 3 times.
        assertThat(average(inGap)).isGreaterThan(10 * average(atData));
    }

    @Test
    void fit_sameSeedGivesTheSameForest_anotherSeedAnother() {
        SplittableRandom random = new SplittableRandom(5);
        double[][] x = uniform(random, 300, 3);
        double[] y = values(x, RandomForestTest::smooth);
        double[][] test = uniform(random, 50, 3);

        double[][] first = meanAndSd(RandomForest.fit(x, y, DEFAULTS, 42), test);
        double[][] again = meanAndSd(RandomForest.fit(x, y, DEFAULTS, 42), test);
        double[][] other = meanAndSd(RandomForest.fit(x, y, DEFAULTS, 43), test);

        assertThat(again[0]).containsExactly(first[0]);
        assertThat(again[1]).containsExactly(first[1]);
        assertThat(other[0]).isNotEqualTo(first[0]);
    }

    @Test
    void fit_separatesInactiveFromActiveValues() {
        // Feature 0 is a conditional parameter: inactive (-1) in about half of the rows, otherwise in [0.2, 1].
        // The objective jumps by 10 when it is inactive and otherwise follows feature 1.
        SplittableRandom random = new SplittableRandom(6);
        int n = 400;
        double[][] x = new double[n][2];
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            boolean inactive = random.nextBoolean();
            x[i][0] = inactive ? -1 : 0.2 + 0.8 * random.nextDouble();
            x[i][1] = random.nextDouble();
            y[i] = (inactive ? 10 : 0) + x[i][1];
        }
        RandomForest forest = RandomForest.fit(x, y, DEFAULTS, 7);

        double[] inactive = forest.predict(new double[] {-1, 0.5});
        assertThat(inactive[0]).isCloseTo(10.5, within(0.3));
        // An active value below every active training value is still on the active side in every tree (with random
        // thresholds between -1 and 0.2 it would land on the inactive side in many: mean about 2, sd about 4).
        double[] smallActive = forest.predict(new double[] {0.05, 0.5});
        assertThat(smallActive[0]).isCloseTo(0.5, within(0.3));
        assertThat(smallActive[1]).isLessThan(1.0);
    }

    @Test
    void fit_handlesTinyAndConstantData() {
        RandomForest one = RandomForest.fit(new double[][] {{0.3, 0.7}}, new double[] {2.5}, DEFAULTS, 1);
        assertThat(one.predict(new double[] {0.9, 0.1})).containsExactly(2.5, 0.0);

        double[][] x = uniform(new SplittableRandom(8), 50, 2);
        double[] constant = new double[50];
        Arrays.fill(constant, -4);
        RandomForest flat = RandomForest.fit(x, constant, DEFAULTS, 1);
        assertThat(flat.predict(new double[] {0.5, 0.5})).containsExactly(-4.0, 0.0);

        double[][] same = {{0.5}, {0.5}, {0.5}, {0.5}};
        RandomForest duplicates = RandomForest.fit(same, new double[] {1, 2, 3, 4}, DEFAULTS, 1);
        assertThat(duplicates.predict(new double[] {0.5})[0]).isBetween(1.0, 4.0);
        assertThat(duplicates.dimension()).isEqualTo(1);
        assertThat(duplicates.trees()).isEqualTo(DEFAULTS.trees());
    }

    @Test
    void fit_rejectsBadInput_namingWhatIsWrong() {
        double[][] x = {{0.1, 0.2}, {0.3, 0.4}};
        double[] y = {1, 2};
        assertThatThrownBy(() -> RandomForest.fit(new double[0][], new double[0], DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("x has no rows");
        assertThatThrownBy(() -> RandomForest.fit(new double[][] {{0.1, 0.2}, {0.3}}, y, DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("x rows differ in length: x[0] has 2 values, x[1] has 1");
        assertThatThrownBy(() -> RandomForest.fit(x, new double[] {1}, DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x has 2 rows but y has 1 values");
        assertThatThrownBy(() -> RandomForest.fit(x, new double[] {1, Double.NaN}, DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("y[1] must be finite, was NaN");
        assertThatThrownBy(() -> RandomForest.fit(x, new double[] {Double.NEGATIVE_INFINITY, 1}, DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("y[0] must be finite, was -Infinity");
        assertThatThrownBy(() -> RandomForest.fit(new double[][] {{0.1, 0.2}, {Double.NaN, 0.4}}, y, DEFAULTS, 1))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("x[1][0] must be finite, was NaN");

        RandomForest forest = RandomForest.fit(x, y, DEFAULTS, 1);
        assertThatThrownBy(() -> forest.predict(new double[] {0.5}))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("points[0] has 1 values, the forest was fitted on 2");
        assertThatThrownBy(() -> forest.predict(new double[] {0.5, Double.NaN}))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("points[0][1] is NaN");
        assertThatThrownBy(() -> forest.predict(new double[][] {{0.5, 0.5}}, new double[0], new double[1]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("mean and sd must hold 1 values, have 0 and 1");
    }

    @Test
    void settings_rejectOutOfRangeValues_namingTheParameter() {
        assertThatThrownBy(() -> new RandomForest.Settings(0, 3, 0.5, 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("trees must be at least 1, was 0");
        assertThatThrownBy(() -> new RandomForest.Settings(24, 0, 0.5, 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("minLeafSize must be at least 1, was 0");
        assertThatThrownBy(() -> new RandomForest.Settings(24, 3, 1.5, 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("featureFraction must be in (0, 1], was 1.5");
        assertThatThrownBy(() -> new RandomForest.Settings(24, 3, Double.NaN, 1, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("featureFraction must be in (0, 1], was NaN");
        assertThatThrownBy(() -> new RandomForest.Settings(24, 3, 0.5, 0, 40))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("sampleFraction must be in (0, 1], was 0.0");
        assertThatThrownBy(() -> new RandomForest.Settings(24, 3, 0.5, 1, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("maxDepth must be at least 1, was 0");
    }

    private static double[][] uniform(SplittableRandom random, int n, int d) {
        double[][] x = new double[n][d];
        for (double[] row : x) {
            for (int j = 0; j < d; j++) {
                row[j] = random.nextDouble();
            }
        }
        return x;
    }

    private static double[] values(double[][] x, ToDoubleFunction<double[]> f) {
        double[] y = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            y[i] = f.applyAsDouble(x[i]);
        }
        return y;
    }

    private static double[][] meanAndSd(RandomForest forest, double[][] points) {
        double[] mean = new double[points.length];
        double[] sd = new double[points.length];
        forest.predict(points, mean, sd);
        return new double[][] {mean, sd};
    }

    private static double[] sds(RandomForest forest, double[][] points) {
        return meanAndSd(forest, points)[1];
    }

    private static double average(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double rSquared(double[] predicted, double[] actual) {
        double mean = average(actual);
        double residual = 0;
        double total = 0;
        for (int i = 0; i < actual.length; i++) {
            residual += (actual[i] - predicted[i]) * (actual[i] - predicted[i]);
            total += (actual[i] - mean) * (actual[i] - mean);
        }
        return 1 - residual / total;
    }
}
