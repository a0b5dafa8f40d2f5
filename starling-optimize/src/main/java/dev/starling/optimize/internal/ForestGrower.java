package dev.starling.optimize.internal;

import static dev.starling.optimize.internal.Bins.MAX_BINS;

import java.util.Arrays;

/**
 * The state of one {@link RandomForest#fit}: the binned columns, scratch buffers and the growing node arrays; grows the
 * trees depth-first on bootstrap samples and searches the splits over the {@link Bins}. Used by one thread; not
 * thread-safe.
 */
final class ForestGrower {
    /** Nodes allocated up front at most; more are added as trees need them. */
    private static final int INITIAL_NODES_LIMIT = 1 << 20;
    /** A split must reduce the node's squared error (in units of the scaled y) by more than this per row. */
    private static final double MIN_GAIN_PER_ROW = 1e-12;

    private final int n;
    private final int d;
    private final RandomForest.Settings settings;
    private final int minLeaf;
    private final int mtry;
    /** SplitMix64 state: inlined because the fit draws a random number for every bootstrap row and every node. */
    private long random;

    private final double yCenter;
    private final double yScale;
    /** Targets, centered and scaled. */
    private final double[] ys;
    // The arrays of the fit's Bins: codes at f * n + i, binLow and binHigh at f * MAX_BINS + b, binCount at f.
    private final byte[] codes;
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

    /** Prepares the fit of rows {@code x} and targets {@code y}, as {@link RandomForest#fit} has checked them. */
    ForestGrower(double[][] x, double[] y, RandomForest.Settings settings, long seed) {
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

        Bins bins = new Bins(x);
        this.codes = bins.codes;
        this.binLow = bins.low;
        this.binHigh = bins.high;
        this.binCount = bins.count;

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

    /** Grows the forest; called once. */
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
