package dev.starling.optimize.internal;

import java.util.Arrays;

/**
 * A regression random forest built as a Bayesian-optimization surrogate, in the manner of SMAC's and mlr3mbo's random
 * forests: the mean of the trees' predictions estimates the objective, and the standard deviation across the trees is
 * the uncertainty.
 *
 * <p>Inputs are points encoded in the unit cube {@code [0,1]^d}. A negative value marks an inactive (conditional)
 * parameter; the encoders use {@code -1}, below every active value, so one split separates inactive from active
 * points. Categorical parameters arrive as ordered numbers {@code (index + 0.5) / k}.
 *
 * <p>Each tree is grown on a bootstrap sample of the rows. At each node it looks at a random subset of the features and
 * picks the split with the largest reduction of the squared error; the threshold is then drawn uniformly at random
 * between the largest value that goes left and the smallest value that goes right. Trees therefore agree at the data
 * and disagree in the gaps between data points, which is what makes the uncertainty grow away from the data. A split
 * between inactive and active values is the exception: its threshold is half the inactive value (-0.5 for -1), because
 * an active value, however small, is never inactive. Leaves predict the mean of their rows.
 *
 * <p>For speed every feature is binned once per fit into quantile bins that never split a distinct value, and splits
 * fall between bins; a small data set gets a bin per distinct value, so its splits are exact ({@code Bins} gives the
 * numbers). {@code ForestGrower} grows the trees. They are stored as flat arrays in depth-first order and predicted
 * without branching on the data.
 *
 * <p>A fitted forest is immutable and thread-safe: {@link #predict} may be called from several threads at once.
 * {@link #fit} uses only its own state and may also run concurrently.
 */
public final class RandomForest {
    private final int dimension;
    private final int trees;
    private final double yCenter;
    private final double yScale;
    /** The node where each tree starts. */
    private final int[] roots;
    /**
     * Two ints per node k: at {@code 2k} the split feature, at {@code 2k + 1} the right child (the left child is
     * {@code k + 1}). A leaf names feature {@code dimension}, which prediction sets to NaN, and itself as right child.
     */
    private final int[] links;
    /** Per node: the split threshold (left when {@code x <= threshold}), or for a leaf its scaled value. */
    private final double[] threshold;

    /** A fitted forest; built by {@code ForestGrower}, which hands over its arrays. */
    RandomForest(int dimension, int trees, double yCenter, double yScale, int[] roots, int[] links,
            double[] threshold) {
        this.dimension = dimension;
        this.trees = trees;
        this.yCenter = yCenter;
        this.yScale = yScale;
        this.roots = roots;
        this.links = links;
        this.threshold = threshold;
    }

    /**
     * How a forest is grown. Immutable.
     *
     * @param trees the number of trees, at least 1
     * @param minLeafSize the smallest number of sampled rows (counted with their bootstrap multiplicity) in a leaf, at
     *     least 1
     * @param featureFraction the fraction of the features considered at each node, in (0, 1]; at least one feature is
     *     considered, and more when none of those drawn can split the node
     * @param sampleFraction the number of rows drawn with replacement for each tree, as a fraction of the rows, in
     *     (0, 1]; 1 is the classic bootstrap
     * @param maxDepth the largest depth of a leaf (the root has depth 0), at least 1
     */
    public record Settings(int trees, int minLeafSize, double featureFraction, double sampleFraction, int maxDepth) {
        /**
         * Validates the settings.
         *
         * @throws IllegalArgumentException naming the first parameter out of range and its value
         */
        public Settings {
            if (trees < 1) {
                throw new IllegalArgumentException("trees must be at least 1, was " + trees);
            }
            if (minLeafSize < 1) {
                throw new IllegalArgumentException("minLeafSize must be at least 1, was " + minLeafSize);
            }
            if (!(featureFraction > 0 && featureFraction <= 1)) {
                throw new IllegalArgumentException("featureFraction must be in (0, 1], was " + featureFraction);
            }
            if (!(sampleFraction > 0 && sampleFraction <= 1)) {
                throw new IllegalArgumentException("sampleFraction must be in (0, 1], was " + sampleFraction);
            }
            if (maxDepth < 1) {
                throw new IllegalArgumentException("maxDepth must be at least 1, was " + maxDepth);
            }
        }

        /**
         * The defaults: 20 trees, leaves of at least 3 sampled rows, half of the features per node, a full bootstrap
         * per tree, depth up to 40. ADBO and the centralized optimizer do not run them as they are: they take
         * {@link #adbo}, these settings with leaves of one row.
         *
         * <p>Why: the time of a fit grows with trees × rows × features searched per node, and an ADBO proposal may
         * spend about 35 ms on its surrogate: fitting 10,000 rows of 6 features and predicting 10,000 candidates.
         * These defaults took about 30 ms for that on one core of the reference 2-vCPU VM, 1,000 rows about 7 ms and
         * 100 rows about 3 ms, mostly prediction (measured with {@code RandomForestBenchmark} when it ran the
         * defaults; it now runs {@link #adbo}). Within that budget:
         *
         * <ul>
         *   <li>20 trees: SMAC uses 10, mlr3mbo 100. The spread across trees is estimated from the trees, so its
         *       relative error falls as one over the square root of their number: 20 trees make it a third steadier
         *       than 10, and each tree costs about 1.3 ms at 10,000 rows (fit and prediction).
         *   <li>Leaves of at least 3 sampled rows, SMAC's {@code min_samples_leaf}: the mean nearly interpolates the
         *       data, and the fit takes a fifth less time than with leaves of 1, because the many tiny nodes at the
         *       bottom of the trees are what costs most. ADBO nevertheless grows leaves of one row, which interpolate
         *       exactly: on its deterministic objectives they found better optima ({@link #adbo} gives the figures).
         *   <li>Half of the features per node, between ranger's square root of d and SMAC's 5/6. Bootstrap and
         *       random thresholds already decorrelate the trees: 5/6 costs 30% more time for the same accuracy in our
         *       measurements, while a third loses accuracy on small data sets (R² 0.75 instead of 0.80 at 100 rows of
         *       a smooth 6-parameter function).
         *   <li>A full bootstrap: each tree sees about 63% of the distinct rows, the classic choice.
         *   <li>Depth 40 only guards against degenerate data; the leaf size is what bounds the trees.
         * </ul>
         *
         * @return the default settings
         */
        public static Settings defaults() {
            return new Settings(20, 3, 0.5, 1.0, 40);
        }

        /**
         * The settings ADBO and the centralized optimizer fit their surrogate with: the {@linkplain #defaults()
         * defaults}, but with {@code trees} trees and leaves of one sampled row. {@code RandomForestBenchmark}
         * measures them.
         *
         * <p>Leaves of one row: the objective is deterministic, and a forest that interpolates resolves the region
         * around the incumbent (Branin, 200 evaluations, 4 workers, 10 seeds: median regret 5e-4 against 3e-3 with
         * leaves of 3, measured with the log warp of the losses that normal scores have since replaced). The price is
         * time: {@code RandomForestBenchmark}'s fit of 1,000 / 10,000 rows took 5.8 / 58.9 ms against 4.7 / 41.5 ms
         * with leaves of 3 (2026-12-01, on a VM about twice as slow as the reference one).
         *
         * @param trees the number of trees, at least 1 (ADBO's {@code trees} setting, 20 by default)
         * @return ADBO's settings
         * @throws IllegalArgumentException when {@code trees} is below 1
         */
        public static Settings adbo(int trees) {
            Settings d = defaults();
            return new Settings(trees, 1, d.featureFraction(), d.sampleFraction(), d.maxDepth());
        }
    }

    /**
     * Fits a forest. The result depends only on the arguments: the same data, settings and seed give the same forest.
     *
     * @param x the rows, each of the same length {@code d >= 1}; values are finite, negative for inactive parameters
     * @param y one finite target per row
     * @param settings how to grow the forest
     * @param seed the seed of the bootstrap samples, feature subsets and thresholds
     * @return the fitted forest
     * @throws IllegalArgumentException when there are no rows, rows differ in length, {@code x} and {@code y} differ in
     *     length, or a value is NaN or infinite
     */
    public static RandomForest fit(double[][] x, double[] y, Settings settings, long seed) {
        if (x == null || y == null || settings == null) {
            throw new NullPointerException("x, y and settings must not be null");
        }
        if (x.length == 0) {
            throw new IllegalArgumentException("x has no rows; a forest needs at least one evaluated point");
        }
        if (x.length != y.length) {
            throw new IllegalArgumentException("x has " + x.length + " rows but y has " + y.length + " values");
        }
        int d = x[0].length;
        if (d == 0) {
            throw new IllegalArgumentException("x rows have no features; a forest needs at least one");
        }
        for (int i = 0; i < x.length; i++) {
            if (x[i].length != d) {
                throw new IllegalArgumentException(
                        "x rows differ in length: x[0] has " + d + " values, x[" + i + "] has " + x[i].length);
            }
            for (int f = 0; f < d; f++) {
                if (!Double.isFinite(x[i][f])) {
                    throw new IllegalArgumentException("x[" + i + "][" + f + "] must be finite, was " + x[i][f]);
                }
            }
            if (!Double.isFinite(y[i])) {
                throw new IllegalArgumentException("y[" + i + "] must be finite, was " + y[i]);
            }
        }
        return new ForestGrower(x, y, settings, seed).grow();
    }

    /** The number of features a point must have. */
    public int dimension() {
        return dimension;
    }

    /** The number of trees. */
    public int trees() {
        return trees;
    }

    /**
     * Predicts many points: for each, the mean of the trees' predictions and their standard deviation (the population
     * standard deviation across the trees, 0 when all trees agree).
     *
     * @param points the points, each with {@link #dimension()} values
     * @param mean receives the means; at least as long as {@code points}
     * @param sd receives the standard deviations; at least as long as {@code points}
     * @throws IllegalArgumentException when an output array is too short or a point has the wrong length or a NaN
     */
    public void predict(double[][] points, double[] mean, double[] sd) {
        int m = points.length;
        if (mean.length < m || sd.length < m) {
            throw new IllegalArgumentException("mean and sd must hold " + m + " values, have " + mean.length + " and "
                    + sd.length);
        }
        for (int i = 0; i < m; i++) {
            checkPoint(points[i], i);
        }
        // Points are copied into one flat array with a NaN after each point's values: leaves test that slot, and since
        // NaN <= v is false they send every point to their right child, which is themselves.
        int stride = dimension + 1;
        double[] flat = new double[m * stride];
        for (int i = 0; i < m; i++) {
            System.arraycopy(points[i], 0, flat, i * stride, dimension);
            flat[i * stride + dimension] = Double.NaN;
        }
        // mean and sd accumulate the sum and the sum of squares of the scaled tree predictions.
        Arrays.fill(mean, 0, m, 0.0);
        Arrays.fill(sd, 0, m, 0.0);
        for (int t = 0; t < trees; t++) {
            predictTree(roots[t], flat, stride, m, mean, sd);
        }
        double inv = 1.0 / trees;
        for (int i = 0; i < m; i++) {
            double mu = mean[i] * inv;
            double var = sd[i] * inv - mu * mu;
            mean[i] = yCenter + yScale * mu;
            sd[i] = var > 0 ? yScale * Math.sqrt(var) : 0.0;
        }
    }

    /**
     * Adds one tree's predictions to the sums. Eight points descend together without branches on the data (each step
     * picks the child with a conditional move), so the processor overlaps their memory loads instead of stalling on
     * mispredicted branches; a group stops when a step moves none of its points (all are at leaves, which loop to
     * themselves).
     */
    private void predictTree(int root, double[] flat, int stride, int m, double[] sum, double[] squares) {
        int[] links = this.links;
        double[] threshold = this.threshold;
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            int o0 = i * stride;
            int o1 = o0 + stride;
            int o2 = o1 + stride;
            int o3 = o2 + stride;
            int o4 = o3 + stride;
            int o5 = o4 + stride;
            int o6 = o5 + stride;
            int o7 = o6 + stride;
            int k0 = root;
            int k1 = root;
            int k2 = root;
            int k3 = root;
            int k4 = root;
            int k5 = root;
            int k6 = root;
            int k7 = root;
            while (true) {
                int r0 = links[2 * k0 + 1];
                int r1 = links[2 * k1 + 1];
                int r2 = links[2 * k2 + 1];
                int r3 = links[2 * k3 + 1];
                int r4 = links[2 * k4 + 1];
                int r5 = links[2 * k5 + 1];
                int r6 = links[2 * k6 + 1];
                int r7 = links[2 * k7 + 1];
                int n0 = flat[o0 + links[2 * k0]] <= threshold[k0] ? k0 + 1 : r0;
                int n1 = flat[o1 + links[2 * k1]] <= threshold[k1] ? k1 + 1 : r1;
                int n2 = flat[o2 + links[2 * k2]] <= threshold[k2] ? k2 + 1 : r2;
                int n3 = flat[o3 + links[2 * k3]] <= threshold[k3] ? k3 + 1 : r3;
                int n4 = flat[o4 + links[2 * k4]] <= threshold[k4] ? k4 + 1 : r4;
                int n5 = flat[o5 + links[2 * k5]] <= threshold[k5] ? k5 + 1 : r5;
                int n6 = flat[o6 + links[2 * k6]] <= threshold[k6] ? k6 + 1 : r6;
                int n7 = flat[o7 + links[2 * k7]] <= threshold[k7] ? k7 + 1 : r7;
                if (((n0 ^ k0) | (n1 ^ k1) | (n2 ^ k2) | (n3 ^ k3)
                        | (n4 ^ k4) | (n5 ^ k5) | (n6 ^ k6) | (n7 ^ k7)) == 0) {
                    break;
                }
                k0 = n0;
                k1 = n1;
                k2 = n2;
                k3 = n3;
                k4 = n4;
                k5 = n5;
                k6 = n6;
                k7 = n7;
            }
            double v0 = threshold[k0];
            double v1 = threshold[k1];
            double v2 = threshold[k2];
            double v3 = threshold[k3];
            double v4 = threshold[k4];
            double v5 = threshold[k5];
            double v6 = threshold[k6];
            double v7 = threshold[k7];
            sum[i] += v0;
            sum[i + 1] += v1;
            sum[i + 2] += v2;
            sum[i + 3] += v3;
            sum[i + 4] += v4;
            sum[i + 5] += v5;
            sum[i + 6] += v6;
            sum[i + 7] += v7;
            squares[i] += v0 * v0;
            squares[i + 1] += v1 * v1;
            squares[i + 2] += v2 * v2;
            squares[i + 3] += v3 * v3;
            squares[i + 4] += v4 * v4;
            squares[i + 5] += v5 * v5;
            squares[i + 6] += v6 * v6;
            squares[i + 7] += v7 * v7;
        }
        for (; i < m; i++) {
            int o = i * stride;
            int k = root;
            while (true) {
                int r = links[2 * k + 1];
                int next = flat[o + links[2 * k]] <= threshold[k] ? k + 1 : r;
                if (next == k) {
                    break;
                }
                k = next;
            }
            double v = threshold[k];
            sum[i] += v;
            squares[i] += v * v;
        }
    }

    /**
     * Predicts one point.
     *
     * @param point a point with {@link #dimension()} values
     * @return {@code {mean, sd}}, as in {@link #predict(double[][], double[], double[])}
     */
    public double[] predict(double[] point) {
        double[] mean = new double[1];
        double[] sd = new double[1];
        predict(new double[][] {point}, mean, sd);
        return new double[] {mean[0], sd[0]};
    }

    private void checkPoint(double[] p, int i) {
        if (p.length != dimension) {
            throw new IllegalArgumentException(
                    "points[" + i + "] has " + p.length + " values, the forest was fitted on " + dimension);
        }
        for (int f = 0; f < dimension; f++) {
            if (Double.isNaN(p[f])) {
                throw new IllegalArgumentException("points[" + i + "][" + f + "] is NaN");
            }
        }
    }
}
