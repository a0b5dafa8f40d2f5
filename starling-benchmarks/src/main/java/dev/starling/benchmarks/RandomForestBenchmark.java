package dev.starling.benchmarks;

import dev.starling.optimize.Optimizer;
import dev.starling.optimize.internal.RandomForest;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The surrogate of one ADBO proposal, on one thread: fit the random forest with the settings ADBO runs
 * ({@code RandomForest.Settings.adbo} with ADBO's default number of trees, as {@code SurrogateSearch} builds them:
 * leaves of one row) on {@code n} evaluations of 6 parameters, then predict mean and standard deviation for 10,000
 * candidates. {@code fitAndPredict} is the figure that must stay within the proposal budget (35 ms at 10,000
 * evaluations); {@code fit} and {@code predict} split it. The evaluations are uniform in the unit cube with a smooth
 * objective; each invocation uses a new seed, as successive proposals do.
 *
 * <p>The forest lives in the module's internal package, which module-info does not export; benchmarks run on the class
 * path, where that does not apply.
 *
 * <p>Run: {@code ./mvnw -q -pl starling-benchmarks -am package -DskipTests && java -cp
 * "starling-benchmarks/target/starling-benchmarks.jar:starling-benchmarks/target/lib/*" org.openjdk.jmh.Main
 * RandomForestBenchmark}
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 10, time = 1)
@Fork(value = 1, jvmArgsAppend = {"-Xms2g", "-Xmx2g"})
@State(Scope.Benchmark)
public class RandomForestBenchmark {
    private static final int DIMENSION = 6;
    private static final int CANDIDATES = 10_000;

    @Param({"100", "1000", "10000"})
    private int n;

    private final RandomForest.Settings settings = RandomForest.Settings.adbo(Optimizer.adbo().settings().trees());
    private double[][] x;
    private double[] y;
    private double[][] candidates;
    private final double[] mean = new double[CANDIDATES];
    private final double[] sd = new double[CANDIDATES];
    private RandomForest fitted;
    private long seed;

    @Setup
    public void data() {
        SplittableRandom random = new SplittableRandom(1);
        x = uniform(random, n);
        y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = objective(x[i]);
        }
        candidates = uniform(random, CANDIDATES);
        fitted = RandomForest.fit(x, y, settings, 0);
    }

    @Benchmark
    public double[] fitAndPredict() {
        RandomForest forest = RandomForest.fit(x, y, settings, ++seed);
        forest.predict(candidates, mean, sd);
        return sd;
    }

    @Benchmark
    public RandomForest fit() {
        return RandomForest.fit(x, y, settings, ++seed);
    }

    @Benchmark
    public double[] predict() {
        fitted.predict(candidates, mean, sd);
        return sd;
    }

    private static double[][] uniform(SplittableRandom random, int rows) {
        double[][] points = new double[rows][DIMENSION];
        for (double[] point : points) {
            for (int j = 0; j < DIMENSION; j++) {
                point[j] = random.nextDouble();
            }
        }
        return points;
    }

    /** A smooth objective in which every parameter matters and two interact. */
    private static double objective(double[] p) {
        double sum = p[0] * p[1];
        for (int j = 0; j < DIMENSION; j++) {
            sum += (j + 1) * 0.3 * Math.sin(3 * p[j] + j);
        }
        return sum;
    }
}
