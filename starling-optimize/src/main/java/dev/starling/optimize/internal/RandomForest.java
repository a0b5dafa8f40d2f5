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
 * <p>For speed every feature is binned once per fit into quantile bins that never split a distinct value: 256 bins up
 * to 2,048 rows (so a feature with at most 256 distinct values, which covers every small data set, is split exactly),
 * 64 above. Inactive values always get a bin of their own. Splits fall between bins; the random threshold lies between
 * the largest value of the last bin on the left and the smallest value of the first bin on the right that hold rows of
 * the node, which for exact bins are exactly the two values of the node that bracket the split. Trees are stored as
 * flat arrays in depth-first order and predicted without branching on the data.
 *
 * <p>A fitted forest is immutable and thread-safe: {@link #predict} may be called from several threads at once.
 * {@link #fit} uses only its own state and may also run concurrently.
 */
public final class RandomForest {
    /** Bins per feature up to {@link #FINE_ROWS} rows: splits are exact for features with up to 256 distinct values. */
    private static final int MAX_BINS = 256;
    /** Up to this many rows, features get {@link #MAX_BINS} bins (at most 8 rows per bin on average). */
    private static final int FINE_ROWS = 2048;
    /**
     * Bins per feature above {@link #FINE_ROWS} rows. Small nodes, which dominate the cost of a large fit, touch fewer
     * bins (measured: a quarter less time at 10,000 rows than 256 bins, with the same accuracy); quantile bins follow
     * the data, so where a search concentrated its points the bins are narrow.
     */
    private static final int COARSE_BINS = 64;
    /** Nodes allocated up front at most; more are added as trees need them. */
    private static final int INITIAL_NODES_LIMIT = 1 << 20;
    /** A split must reduce the node's squared error (in units of the scaled y) by more than this per row. */
    private static final double MIN_GAIN_PER_ROW = 1e-12;

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

    private RandomForest(int dimension, int trees, double yCenter, double yScale, int[] roots, int[] links,
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
         * The surrogate defaults: 20 trees, leaves of at least 3 sampled rows, half of the features per node, a full
         * bootstrap per tree, depth up to 40.
         *
         * <p>Why: the time of a fit grows with trees × rows × features searched per node, and an ADBO proposal may
         * spend about 35 ms on its surrogate: fitting 10,000 rows of 6 features and predicting 10,000 candidates.
         * These defaults take about 30 ms for that on one core of the reference 2-vCPU VM, 1,000 rows about 7 ms and
         * 100 rows about 3 ms, mostly prediction (see {@code RandomForestBenchmark}). Within that budget:
         *
         * <ul>
         *   <li>20 trees: SMAC uses 10, mlr3mbo 100. The spread across trees is estimated from the trees, so its
         *       relative error falls as one over the square root of their number: 20 trees make it a third steadier
         *       than 10, and each tree costs about 1.3 ms at 10,000 rows (fit and prediction).
         *   <li>Leaves of at least 3 sampled rows, SMAC's {@code min_samples_leaf}: the mean nearly interpolates the
         *       data, as a deterministic objective wants, and the fit takes a fifth less time than with leaves of 1,
         *       because the many tiny nodes at the bottom of the trees are what costs most.
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
        return new Grower(x, y, settings, seed).grow();
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

    /** The state of one fit: binned columns, scratch buffers and the growing node arrays. Used by one thread. */
    private static final class Grower {
        private final int n;
        private final int d;
        private final Settings settings;
        private final int minLeaf;
        private final int mtry;
        /** SplitMix64 state: inlined because the fit draws a random number for every bootstrap row and every node. */
        private long random;

        private final double yCenter;
        private final double yScale;
        /** Targets, centered and scaled. */
        private final double[] ys;
        /** Bin of row i for feature f at {@code f * n + i}, 0..255. */
        private final byte[] codes;
        /** Smallest and largest value in bin b of feature f, at {@code f * MAX_BINS + b}. */
        private final double[] binLow;
        private final double[] binHigh;
        private final int[] binCount;

        /** How often each row was drawn for the current tree. */
        private final int[] draws;
        /** Per row: draws times the scaled target. */
        private final double[] rowY;
        /**
         * The distinct rows drawn for the current tree; each node owns a contiguous range, in ascending order (stable
         * partitions keep it), so the gathers of a histogram walk memory forwards.
         */
        private final int[] rows;
        private final int[] spareRows;

        // Two histograms (bins of a feature at 0, of a second one at MAX_BINS) and their occupied bins. Every search
        // leaves them empty.
        private final int[] histCount = new int[2 * MAX_BINS];
        private final double[] histSum = new double[2 * MAX_BINS];
        private final long[] occupied = new long[2 * MAX_BINS / 64];
        private final int[] picked;
        /** 1 / w for the weights a node can have, to spare divisions in the split search. */
        private final double[] inverse;
        private final int[] order;

        // The depth-first stack of nodes still to grow, with each node's bin range per feature (a superset of the
        // bins its rows occupy: a feature whose range is a single bin is constant in the node).
        private int[] stackStart = new int[64];
        private int[] stackEnd = new int[64];
        private int[] stackDepth = new int[64];
        private int[] stackParent = new int[64];
        private int[] stackWeight = new int[64];
        private double[] stackSum = new double[64];
        private byte[] stackLo;
        private byte[] stackHi;
        /** Where the ranges of the node being split start in {@code stackLo} and {@code stackHi}. */
        private int ranges;

        private int[] links;
        private double[] threshold;
        private int nodes;

        // The best split found for the current node: rows in bins <= bestBin go left.
        private int bestFeature;
        private int bestBin;
        /** The first bin after {@code bestBin} that holds rows of the node. */
        private int bestNextBin;
        private double bestScore;
        private int bestLeftWeight;
        private double bestLeftSum;

        Grower(double[][] x, double[] y, Settings settings, long seed) {
            this.n = x.length;
            this.d = x[0].length;
            this.settings = settings;
            this.minLeaf = settings.minLeafSize();
            this.mtry = Math.max(1, Math.min(d, (int) Math.round(settings.featureFraction() * d)));
            this.random = seed;

            double center = 0;
            for (double v : y) {
                center += v / n;
            }
            double spread = 0;
            for (double v : y) {
                spread = Math.max(spread, Math.abs(v - center));
            }
            this.yCenter = center;
            this.yScale = spread > 0 && Double.isFinite(spread) ? spread : 1.0;
            this.ys = new double[n];
            for (int i = 0; i < n; i++) {
                ys[i] = (y[i] - center) / yScale;
            }

            this.codes = new byte[n * d];
            this.binLow = new double[d * MAX_BINS];
            this.binHigh = new double[d * MAX_BINS];
            this.binCount = new int[d];
            bin(x);

            this.inverse = new double[n + 1];
            for (int w = 1; w <= n; w++) {
                inverse[w] = 1.0 / w;
            }
            this.draws = new int[n];
            this.rows = new int[n];
            this.rowY = new double[n];
            this.spareRows = new int[n];
            this.order = new int[d];
            this.picked = new int[d];
            for (int f = 0; f < d; f++) {
                order[f] = f;
            }
            this.stackLo = new byte[64 * d];
            this.stackHi = new byte[64 * d];

            // Bootstrap trees have about 1.6 * n / minLeaf nodes (measured, 100 to 10,000 rows); grow() enlarges the
            // arrays when trees need more.
            long expected = (long) settings.trees() * (2L * n / minLeaf + 16);
            int capacity = (int) Math.max(16, Math.min(expected, INITIAL_NODES_LIMIT));
            this.links = new int[2 * capacity];
            this.threshold = new double[capacity];
        }

        /** The next 64 random bits (SplitMix64). */
        private long nextLong() {
            long z = (random += 0x9e3779b97f4a7c15L);
            z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
            z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
            return z ^ (z >>> 31);
        }

        /** A random int in [0, bound), by multiply-shift; the bias, below bound / 2^32, does not matter here. */
        private int nextInt(int bound) {
            return (int) (((nextLong() >>> 32) * bound) >>> 32);
        }

        /** A random double in [0, 1). */
        private double nextDouble() {
            return (nextLong() >>> 11) * 0x1.0p-53;
        }

        /** Sorts each feature once and assigns quantile bins that never split a distinct value. */
        private void bin(double[][] x) {
            long[] sorted = new long[n];
            double[] column = new double[n];
            for (int f = 0; f < d; f++) {
                int base = f * n;
                for (int i = 0; i < n; i++) {
                    double v = x[i][f] + 0.0; // turns -0.0 into 0.0, which compares equal anyway
                    column[i] = v;
                    // Sort by the value rounded to float (monotone, so bins stay ordered) with the row in the low bits.
                    int bits = Float.floatToRawIntBits((float) v);
                    bits ^= (bits >> 31) & 0x7fffffff;
                    sorted[i] = ((long) bits << 32) | i;
                }
                Arrays.sort(sorted);
                int bins = n <= FINE_ROWS ? MAX_BINS : COARSE_BINS;
                int edges = f * MAX_BINS;
                int bin = 0;
                int previous = (int) (sorted[0] >> 32);
                boolean previousNegative = column[(int) sorted[0]] < 0;
                binLow[edges] = Double.POSITIVE_INFINITY;
                binHigh[edges] = Double.NEGATIVE_INFINITY;
                for (int t = 0; t < n; t++) {
                    long key = sorted[t];
                    int row = (int) key;
                    int value = (int) (key >> 32);
                    double v = column[row];
                    if (value != previous) {
                        boolean negative = v < 0;
                        // A new bin at a quantile boundary, and always between inactive (negative) and active values.
                        if (bin < bins - 1
                                && ((long) t * bins >= (long) (bin + 1) * n || previousNegative != negative)) {
                            bin++;
                            binLow[edges + bin] = Double.POSITIVE_INFINITY;
                            binHigh[edges + bin] = Double.NEGATIVE_INFINITY;
                        }
                        previous = value;
                        previousNegative = negative;
                    }
                    // Values that round to the same float may come in any order.
                    binLow[edges + bin] = Math.min(binLow[edges + bin], v);
                    binHigh[edges + bin] = Math.max(binHigh[edges + bin], v);
                    codes[base + row] = (byte) bin;
                }
                binCount[f] = bin + 1;
            }
        }

        RandomForest grow() {
            int trees = settings.trees();
            int[] roots = new int[trees];
            int sample = Math.max(1, (int) Math.ceil(settings.sampleFraction() * n));
            for (int t = 0; t < trees; t++) {
                Arrays.fill(draws, 0);
                for (int k = 0; k < sample; k++) {
                    draws[nextInt(n)]++;
                }
                int count = 0;
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    int w = draws[i];
                    if (w > 0) {
                        rows[count++] = i;
                        rowY[i] = w * ys[i];
                        sum += rowY[i];
                    }
                }
                ensureCapacity(nodes + 2 * count);
                roots[t] = nodes;
                growTree(count, sample, sum);
            }
            return new RandomForest(d, trees, yCenter, yScale, roots, Arrays.copyOf(links, 2 * nodes),
                    Arrays.copyOf(threshold, nodes));
        }

        private void growTree(int count, int weight, double sum) {
            stackStart[0] = 0;
            stackEnd[0] = count;
            stackDepth[0] = 0;
            stackParent[0] = -1;
            stackWeight[0] = weight;
            stackSum[0] = sum;
            for (int f = 0; f < d; f++) {
                stackLo[f] = 0;
                stackHi[f] = (byte) (binCount[f] - 1);
            }
            int top = 1;
            int maxDepth = settings.maxDepth();
            while (top > 0) {
                top--;
                int start = stackStart[top];
                int end = stackEnd[top];
                int depth = stackDepth[top];
                int parent = stackParent[top];
                int w = stackWeight[top];
                double s = stackSum[top];

                int node = nodes++;
                if (parent >= 0) {
                    links[2 * parent + 1] = node;
                }
                bestFeature = -1;
                if (depth < maxDepth && w >= 2 * minLeaf && end - start >= 2) {
                    ranges = top * d;
                    findSplit(start, end, w, s);
                }
                if (bestFeature < 0 || bestScore - s * s / w <= MIN_GAIN_PER_ROW * w) {
                    links[2 * node] = d;
                    links[2 * node + 1] = node;
                    threshold[node] = s / w;
                    continue;
                }
                int f = bestFeature;
                int b = bestBin;
                int left = partition(f, b, start, end);

                // The largest value of the node's last bin on the left and the smallest of its first bin on the right.
                double maxLeft = binHigh[f * MAX_BINS + b];
                double minRight = binLow[f * MAX_BINS + bestNextBin];
                double cut;
                if (maxLeft < 0 && minRight >= 0) {
                    cut = maxLeft * 0.5;
                } else {
                    cut = maxLeft + nextDouble() * (minRight - maxLeft);
                    if (!(cut < minRight)) {
                        cut = maxLeft;
                    }
                }
                links[2 * node] = f;
                threshold[node] = cut;

                if (top + 2 > stackStart.length) {
                    growStack();
                }
                // Right child first, so that the left child is popped next and lands at node + 1.
                // The right child reuses this slot and the parent's ranges; the left child copies them.
                int from = top * d;
                int to = from + d;
                for (int i = 0; i < d; i++) {
                    stackLo[to + i] = stackLo[from + i];
                    stackHi[to + i] = stackHi[from + i];
                }
                stackLo[from + f] = (byte) bestNextBin;
                stackHi[to + f] = (byte) b;
                push(top, left, end, depth + 1, node, w - bestLeftWeight, s - bestLeftSum);
                push(top + 1, start, left, depth + 1, -1, bestLeftWeight, bestLeftSum);
                top += 2;
            }
        }

        /**
         * Moves the rows of bins {@code <= b} of feature {@code f} to the front of {@code [start, end)}, keeping their
         * order (ascending rows keep the gathers of later histograms local), and returns where the others begin.
         * Branch-free: each row is written to both destinations and only the matching index advances.
         */
        private int partition(int f, int b, int start, int end) {
            int base = f * n;
            int left = start;
            int spare = 0;
            for (int j = start; j < end; j++) {
                int r = rows[j];
                int goLeft = ((codes[base + r] & 0xff) - b - 1) >>> 31;
                rows[left] = r;
                spareRows[spare] = r;
                left += goLeft;
                spare += 1 - goLeft;
            }
            // A loop, not System.arraycopy: most nodes are small, and the copy stub costs more than it saves there.
            for (int i = 0; i < spare; i++) {
                rows[left + i] = spareRows[i];
            }
            return left;
        }

        private void push(int slot, int start, int end, int depth, int parent, int weight, double sum) {
            stackStart[slot] = start;
            stackEnd[slot] = end;
            stackDepth[slot] = depth;
            stackParent[slot] = parent;
            stackWeight[slot] = weight;
            stackSum[slot] = sum;
        }

        /**
         * Searches {@code mtry} features drawn at random among those not constant in the node, two at a time (one pass
         * over the rows fills both histograms, which overlaps their memory updates); when none of them can split the
         * node, goes on through the remaining features one at a time.
         */
        private void findSplit(int start, int end, int w, double s) {
            bestScore = Double.NEGATIVE_INFINITY;
            if (end - start == 2) {
                splitPair(start, w, s);
                return;
            }
            int k = 0;
            int chosen = 0;
            while (k < d && chosen < mtry) {
                int f = drawFeature(k++);
                if (stackLo[ranges + f] != stackHi[ranges + f]) {
                    picked[chosen++] = f;
                }
            }
            int i = 0;
            for (; i + 1 < chosen; i += 2) {
                search(picked[i], picked[i + 1], start, end, w, s);
            }
            if (i < chosen) {
                search(picked[i], -1, start, end, w, s);
            }
            while (bestFeature < 0 && k < d) {
                int f = drawFeature(k++);
                if (stackLo[ranges + f] != stackHi[ranges + f]) {
                    search(f, -1, start, end, w, s);
                }
            }
        }

        /**
         * The split of a node with two distinct rows, the most common node deep in a tree: every feature on which the
         * rows differ separates them the same way, so the first such feature in a random order is as good as any.
         */
        private void splitPair(int start, int w, double s) {
            int a = start;
            int b = start + 1;
            if (draws[rows[a]] < minLeaf || draws[rows[b]] < minLeaf) {
                return;
            }
            for (int k = 0; k < d; k++) {
                int f = drawFeature(k);
                int codeA = codes[f * n + rows[a]] & 0xff;
                int codeB = codes[f * n + rows[b]] & 0xff;
                if (codeA != codeB) {
                    int low = codeA < codeB ? a : b;
                    double leftSum = rowY[rows[low]];
                    double rightSum = s - leftSum;
                    bestFeature = f;
                    bestBin = Math.min(codeA, codeB);
                    bestNextBin = Math.max(codeA, codeB);
                    bestLeftWeight = draws[rows[low]];
                    bestLeftSum = leftSum;
                    bestScore = leftSum * leftSum / bestLeftWeight + rightSum * rightSum / (w - bestLeftWeight);
                    return;
                }
            }
        }

        /** Draws feature k of a random order of the features (a step of a Fisher-Yates shuffle). */
        private int drawFeature(int k) {
            int pick = k + nextInt(d - k);
            int f = order[pick];
            order[pick] = order[k];
            order[k] = f;
            return f;
        }

        /**
         * Finds the best split of feature {@code f}, and of {@code g} unless it is -1. Fills a histogram of the node's
         * rows over each feature's bins; small nodes also mark the occupied bins in a bitmap and read only those, so
         * that their cost follows their few rows rather than the 256 possible bins.
         */
        private void search(int f, int g, int start, int end, int w, double s) {
            int[] count = histCount;
            double[] sum = histSum;
            long[] occupied = this.occupied;
            int fBase = f * n;
            int gBase = g * n; // unused when g is -1
            int size = end - start;
            int range = Math.max(width(f), g < 0 ? 0 : width(g)) + 1;
            boolean dense = size >= range;
            if (g < 0) {
                if (dense) {
                    for (int j = start; j < end; j++) {
                        int b = codes[fBase + rows[j]] & 0xff;
                        count[b] += draws[rows[j]];
                        sum[b] += rowY[rows[j]];
                    }
                } else {
                    for (int j = start; j < end; j++) {
                        int b = codes[fBase + rows[j]] & 0xff;
                        count[b] += draws[rows[j]];
                        sum[b] += rowY[rows[j]];
                        occupied[b >>> 6] |= 1L << b;
                    }
                }
            } else if (dense) {
                for (int j = start; j < end; j++) {
                    int r = rows[j];
                    int rw = draws[r];
                    double ry = rowY[r];
                    int b = codes[fBase + r] & 0xff;
                    count[b] += rw;
                    sum[b] += ry;
                    int c = (codes[gBase + r] & 0xff) + MAX_BINS;
                    count[c] += rw;
                    sum[c] += ry;
                }
            } else {
                for (int j = start; j < end; j++) {
                    int r = rows[j];
                    int rw = draws[r];
                    double ry = rowY[r];
                    int b = codes[fBase + r] & 0xff;
                    count[b] += rw;
                    sum[b] += ry;
                    occupied[b >>> 6] |= 1L << b;
                    int c = (codes[gBase + r] & 0xff) + MAX_BINS;
                    count[c] += rw;
                    sum[c] += ry;
                    occupied[c >>> 6] |= 1L << c;
                }
            }
            if (dense) {
                scanDense(f, 0, w, s);
                if (g >= 0) {
                    scanDense(g, MAX_BINS, w, s);
                }
            } else {
                scanOccupied(f, 0, w, s);
                if (g >= 0) {
                    scanOccupied(g, MAX_BINS, w, s);
                }
            }
        }

        /** The number of bins between the lowest and highest that feature f may occupy in the node being split. */
        private int width(int f) {
            return (stackHi[ranges + f] & 0xff) - (stackLo[ranges + f] & 0xff);
        }

        /** Offers every split of feature f from its histogram at {@code offset}, reading all bins of its range. */
        private void scanDense(int f, int offset, int w, double s) {
            int[] count = histCount;
            double[] sum = histSum;
            double[] inverse = this.inverse;
            int minLeaf = this.minLeaf;
            double best = bestScore;
            int bin = -1;
            int next = -1;
            int leftWeightAtBest = 0;
            double leftSumAtBest = 0;
            boolean wantNext = false;
            int leftWeight = 0;
            double leftSum = 0;
            int to = offset + (stackHi[ranges + f] & 0xff);
            for (int i = offset + (stackLo[ranges + f] & 0xff); i <= to; i++) {
                int c = count[i];
                if (c == 0) {
                    continue;
                }
                double y = sum[i];
                count[i] = 0;
                sum[i] = 0;
                if (wantNext) {
                    next = i - offset;
                    wantNext = false;
                }
                // The split after bin i; the last bin leaves no weight on the right and never qualifies.
                leftWeight += c;
                leftSum += y;
                int rightWeight = w - leftWeight;
                double rightSum = s - leftSum;
                double score = leftSum * leftSum * inverse[leftWeight] + rightSum * rightSum * inverse[rightWeight];
                if (score > best && leftWeight >= minLeaf && rightWeight >= minLeaf) {
                    best = score;
                    bin = i - offset;
                    leftWeightAtBest = leftWeight;
                    leftSumAtBest = leftSum;
                    wantNext = true;
                }
            }
            keep(f, best, bin, next, leftWeightAtBest, leftSumAtBest);
        }

        /** The same, reading only the bins marked in the bitmap, and clearing the bitmap. */
        private void scanOccupied(int f, int offset, int w, double s) {
            int[] count = histCount;
            double[] sum = histSum;
            long[] occupied = this.occupied;
            double[] inverse = this.inverse;
            int minLeaf = this.minLeaf;
            double best = bestScore;
            int bin = -1;
            int next = -1;
            int leftWeightAtBest = 0;
            double leftSumAtBest = 0;
            boolean wantNext = false;
            int leftWeight = 0;
            double leftSum = 0;
            int first = (offset + (stackLo[ranges + f] & 0xff)) >>> 6;
            int last = (offset + (stackHi[ranges + f] & 0xff)) >>> 6;
            for (int word = first; word <= last; word++) {
                long bits = occupied[word];
                occupied[word] = 0;
                while (bits != 0) {
                    int i = (word << 6) + Long.numberOfTrailingZeros(bits);
                    bits &= bits - 1;
                    int c = count[i];
                    double y = sum[i];
                    count[i] = 0;
                    sum[i] = 0;
                    if (wantNext) {
                        next = i - offset;
                        wantNext = false;
                    }
                    leftWeight += c;
                    leftSum += y;
                    int rightWeight = w - leftWeight;
                    double rightSum = s - leftSum;
                    double score = leftSum * leftSum * inverse[leftWeight] + rightSum * rightSum * inverse[rightWeight];
                    if (score > best && leftWeight >= minLeaf && rightWeight >= minLeaf) {
                        best = score;
                        bin = i - offset;
                        leftWeightAtBest = leftWeight;
                        leftSumAtBest = leftSum;
                        wantNext = true;
                    }
                }
            }
            keep(f, best, bin, next, leftWeightAtBest, leftSumAtBest);
        }

        /** Records the best split of feature f when the scan found one better than the best so far. */
        private void keep(int f, double score, int bin, int next, int leftWeight, double leftSum) {
            if (bin >= 0) {
                bestScore = score;
                bestFeature = f;
                bestBin = bin;
                bestNextBin = next;
                bestLeftWeight = leftWeight;
                bestLeftSum = leftSum;
            }
        }

        private void growStack() {
            int size = stackStart.length * 2;
            stackStart = Arrays.copyOf(stackStart, size);
            stackEnd = Arrays.copyOf(stackEnd, size);
            stackDepth = Arrays.copyOf(stackDepth, size);
            stackParent = Arrays.copyOf(stackParent, size);
            stackWeight = Arrays.copyOf(stackWeight, size);
            stackSum = Arrays.copyOf(stackSum, size);
            stackLo = Arrays.copyOf(stackLo, size * d);
            stackHi = Arrays.copyOf(stackHi, size * d);
        }

        private void ensureCapacity(int size) {
            if (size > threshold.length) {
                int capacity = (int) Math.min(Integer.MAX_VALUE / 2 - 8,
                        Math.max(size, threshold.length + (long) (threshold.length >> 1)));
                links = Arrays.copyOf(links, 2 * capacity);
                threshold = Arrays.copyOf(threshold, capacity);
            }
        }
    }
}
