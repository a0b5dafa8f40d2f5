package dev.starling.tune;

import dev.starling.data.Table;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;

/**
 * Seeded, stratified k-fold cross-validation of a {@link Learner} on a binary-labelled {@link Table}. The folds and
 * their row-major matrices are built once; each {@link #evaluate} trains one model per fold, single-threaded, with
 * the learner seeded by the same seed, so the same configuration scores the same on every run (unless it
 * {@link #continuingTraining continues training}). Thread-safe: the folds are read-only, and each fit owns its native
 * objects.
 */
public final class CrossValidation {
    private final String name;
    private final String shape;
    private final Folds folds;
    private final long seed;
    private final Split[] splits;
    /** The boosters kept to continue training, or null when every fit starts afresh. */
    private final Boosters boosters;

    private CrossValidation(String name, String shape, Folds folds, long seed, Split[] splits, Boosters boosters) {
        this.name = name;
        this.shape = shape;
        this.folds = folds;
        this.seed = seed;
        this.splits = splits;
        this.boosters = boosters;
    }

    /**
     * This cross-validation, on the same folds, keeping the boosters of its last {@code capacity} XGBoost fits (one
     * per fold and configuration), so that an evaluation of a configuration already evaluated with fewer rounds
     * continues training from there: a promotion of successive halving then costs only its extra rounds. Scores
     * are then no longer bit-for-bit repeatable where the learner samples (subsample, column sampling below 1):
     * the continued rounds draw from the thread's random state, not from a fresh seed. LightGBM fits are not kept.
     */
    public CrossValidation continuingTraining(int capacity) {
        return new CrossValidation(name, shape, folds, seed, splits, new Boosters(capacity));
    }

    /**
     * Cross-validation of {@code table} over {@code k} stratified folds drawn from {@code seed}.
     *
     * @throws IllegalArgumentException when the labels are not all 0 or 1, or when a class has fewer rows than
     *                                  folds
     */
    public static CrossValidation of(Table table, int k, long seed) {
        Objects.requireNonNull(table, "table");
        double[] y = table.y();
        for (double label : y) {
            if (label != 0 && label != 1) {
                throw new IllegalArgumentException("the target of " + table.name() + " (" + table.target()
                        + ") has the value " + label + "; tuning needs a binary target: pick one with COL=LEVEL,"
                        + " COL>NUMBER or COL<NUMBER");
            }
        }
        Folds folds = Folds.stratified(y, k, seed);
        double[][] x = table.x();
        Split[] splits = new Split[k];
        for (int f = 0; f < k; f++) {
            int[] train = folds.train(f);
            int[] test = folds.test(f);
            float[] trainY = new float[train.length];
            for (int i = 0; i < train.length; i++) {
                trainY[i] = (float) y[train[i]];
            }
            double[] testY = Arrays.stream(test).mapToDouble(i -> y[i]).toArray();
            splits[f] = new Split(table.width(), rowMajor(x, train, table.width()), trainY,
                    rowMajor(x, test, table.width()), testY);
        }
        long positives = java.util.Arrays.stream(y).filter(v -> v == 1).count();
        String shape = String.format(java.util.Locale.ROOT, "%s (%d rows x %d features, target %s, %.1f %% positive)",
                table.name(), table.rows(), table.width(), table.target(), 100.0 * positives / Math.max(1, y.length));
        return new CrossValidation(table.name(), shape, folds, seed, splits, null);
    }

    private static float[] rowMajor(double[][] x, int[] rows, int width) {
        float[] out = new float[rows.length * width];
        for (int i = 0; i < rows.length; i++) {
            double[] row = x[rows[i]];
            for (int j = 0; j < width; j++) {
                out[i * width + j] = (float) row[j];
            }
        }
        return out;
    }

    /** How many boosters it keeps to continue from; 0 when it does not continue training. */
    int kept() {
        return boosters == null ? 0 : boosters.size();
    }

    /** The data set in a few words: name, rows, features, target and the share of positives. */
    public String describe() {
        return shape;
    }

    /** The folds. */
    public Folds folds() {
        return folds;
    }

    /**
     * Trains {@code learner} with {@code config} on each fold's training rows and scores its test rows by every
     * metric.
     *
     * @throws LearnerException or the native library's own exception when the learner rejects the configuration
     */
    public Result evaluate(Learner learner, Map<String, Object> config) throws Exception {
        Map<Metric, double[]> perFold = new EnumMap<>(Metric.class);
        for (Metric m : Metric.values()) {
            perFold.put(m, new double[splits.length]);
        }
        for (int f = 0; f < splits.length; f++) {
            double[] p = learner.fitPredict(splits[f], config, seed, boosters, f);
            for (int i = 0; i < p.length; i++) {
                if (!Double.isFinite(p[i])) {
                    throw new LearnerException(learner.label() + " predicted " + p[i] + " on fold " + (f + 1)
                            + " of " + name + " with " + config);
                }
            }
            for (Metric m : Metric.values()) {
                perFold.get(m)[f] = m.of(splits[f].testY(), p);
            }
        }
        return new Result(perFold);
    }

    /**
     * The scores of one cross-validation. Immutable by convention.
     *
     * @param perFold each metric's value on each fold, in fold order
     */
    public record Result(Map<Metric, double[]> perFold) {
        /** The mean of {@code metric} over the folds. */
        public double mean(Metric metric) {
            return Arrays.stream(perFold.get(metric)).average().orElse(Double.NaN);
        }

        /** The values of {@code metric} on each fold, a copy. */
        public double[] folds(Metric metric) {
            return perFold.get(metric).clone();
        }
    }

    @Override
    public String toString() {
        return "CrossValidation[" + name + ", " + folds.count() + " folds, seed " + seed + "]";
    }
}
