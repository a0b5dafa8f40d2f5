package dev.starling.algorithms.linear;

import dev.starling.algorithms.ProblemBuilder;
import dev.starling.data.Datasets;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * Builds a linear model's problem for each worker: generated data, made row by row from the seed so that a worker
 * makes only its own rows, or a data set loaded by every worker, standardised, shuffled with the seed, and split into
 * contiguous shares. Worker {@code i} of {@code W} holds rows {@code [i n / W, (i + 1) n / W)}; the central node
 * holds them all (for the objective and the exact optimum). Thread-safe.
 */
public final class LinearProblem implements ProblemBuilder<LinearData> {
    private final Settings settings;

    /**
     * What the problem is.
     *
     * @param loss     {@code lsq} or {@code logreg}
     * @param data     {@code generated}, a named data set, or a data file (see {@link #load})
     * @param target   the label of a data set, e.g. {@code delay>15}; null for the data set's default
     * @param rows     the rows of generated data
     * @param features the features of generated data
     * @param seed     the seed of the data, the shuffle and the minibatches
     * @param lambda   the ridge weight λ ≥ 0
     */
    public record Settings(String loss, String data, String target, int rows, int features, long seed,
                           double lambda) {
        public Settings {
            Loss.parse(loss);
            if (data == null || data.isBlank()) {
                throw new IllegalArgumentException("say which data: generated, a data set's name, or a file");
            }
            if (data.equals(GENERATED) && (rows < 1 || features < 1)) {
                throw new IllegalArgumentException("generated data need rows ≥ 1 and features ≥ 1, were " + rows
                        + " and " + features);
            }
            if (!(lambda >= 0)) {
                throw new IllegalArgumentException("the ridge weight λ must be ≥ 0, was " + lambda);
            }
        }

        /** Generated data of this loss and shape, with λ = 1e-3. */
        public static Settings generated(String loss, int rows, int features, long seed) {
            return new Settings(loss, GENERATED, null, rows, features, seed, 1e-3);
        }
    }

    /** The {@link Settings#data} of generated data. */
    public static final String GENERATED = "generated";

    /** A builder of the problem {@code settings} describe. */
    public LinearProblem(Settings settings) {
        this.settings = settings;
    }

    @Override
    public LinearData worker(int index, int workers) {
        return build(index, workers);
    }

    @Override
    public LinearData central(int workers) {
        return build(-1, workers);
    }

    /** The problem of worker {@code index} of {@code workers}, or all rows for index −1. */
    private LinearData build(int index, int workers) {
        Loss loss = Loss.parse(settings.loss());
        long minibatchSeed = settings.seed() * 31 + index;
        if (settings.data().equals(GENERATED)) {
            int n = settings.rows();
            int from = index < 0 ? 0 : (int) ((long) index * n / workers);
            int to = index < 0 ? n : (int) ((long) (index + 1) * n / workers);
            double[] truth = truth(settings.features(), settings.seed());
            double[][] x = new double[to - from][];
            double[] y = new double[to - from];
            for (int r = from; r < to; r++) {
                SplittableRandom random = new SplittableRandom(settings.seed() * 1_000_003L + r);
                double[] row = new double[settings.features() + 1];
                double z = 0;
                for (int j = 0; j < settings.features(); j++) {
                    row[j] = random.nextGaussian();
                    z += row[j] * truth[j];
                }
                row[settings.features()] = 1;
                z += truth[settings.features()];
                x[r - from] = row;
                y[r - from] = loss == Loss.SQUARED ? z + 0.5 * random.nextGaussian()
                        : random.nextDouble() < 1 / (1 + Math.exp(-z)) ? 1 : 0;
            }
            return new LinearData(x, y, loss, settings.lambda(), n, workers, minibatchSeed);
        }
        Table table = load(settings.data(), settings.target(), settings.seed());
        int n = table.y().length;
        int from = index < 0 ? 0 : (int) ((long) index * n / workers);
        int to = index < 0 ? n : (int) ((long) (index + 1) * n / workers);
        return new LinearData(Arrays.copyOfRange(table.x(), from, to), Arrays.copyOfRange(table.y(), from, to), loss,
                settings.lambda(), n, workers, minibatchSeed);
    }

    /** The generating weights: features, then the intercept. */
    private static double[] truth(int features, long seed) {
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        double[] w = new double[features + 1];
        for (int j = 0; j <= features; j++) {
            w[j] = random.nextGaussian() * 2 / Math.sqrt(features);
        }
        return w;
    }

    /** Standardised rows (features, then 1) and labels. */
    record Table(double[][] x, double[] y) {
    }

    /**
     * Loads a data set by name or file (see {@link Datasets}), shuffles its rows with the seed,
     * standardises each feature to mean 0 and variance 1 (missing values become the mean, 0), and appends the
     * intercept's 1.
     */
    static Table load(String data, String target, long seed) {
        dev.starling.data.Table t = (target == null ? Datasets.load(data) : Datasets.load(data, target))
                .shuffled(seed);
        double[][] raw = t.x();
        double[] labels = t.y();
        int k = t.width();
        double[] mean = new double[k];
        double[] sd = new double[k];
        int[] count = new int[k];
        for (double[] r : raw) {
            for (int j = 0; j < k; j++) {
                if (!Double.isNaN(r[j])) {
                    mean[j] += r[j];
                    count[j]++;
                }
            }
        }
        for (int j = 0; j < k; j++) {
            mean[j] = count[j] == 0 ? 0 : mean[j] / count[j];
        }
        for (double[] r : raw) {
            for (int j = 0; j < k; j++) {
                if (!Double.isNaN(r[j])) {
                    sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]);
                }
            }
        }
        for (int j = 0; j < k; j++) {
            sd[j] = count[j] < 2 ? 1 : Math.sqrt(sd[j] / (count[j] - 1));
            if (sd[j] == 0) {
                sd[j] = 1;
            }
        }
        double[][] x = new double[raw.length][k + 1];
        for (int i = 0; i < raw.length; i++) {
            for (int j = 0; j < k; j++) {
                x[i][j] = Double.isNaN(raw[i][j]) ? 0 : (raw[i][j] - mean[j]) / sd[j];
            }
            x[i][k] = 1;
        }
        return new Table(x, labels);
    }
}
