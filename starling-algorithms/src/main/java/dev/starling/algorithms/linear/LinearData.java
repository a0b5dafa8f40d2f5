package dev.starling.algorithms.linear;

import dev.starling.algorithms.internal.Cholesky;
import java.util.SplittableRandom;

/**
 * A regularised linear model's data, or one worker's share of it: rows {@code x} (features, then a constant 1 for the
 * intercept), labels {@code y}, the loss, and the ridge weight λ. The objective is
 * {@code F(w) = (1/n) Σᵢ loss(xᵢ·w, yᵢ) + (λ/2) ‖w‖²} over all {@code n} rows of the problem. A share also keeps
 * what a worker's steps change: its random source for minibatches and SAGA's table (one scalar per sample, the loss
 * derivative at the sample's last visit, as the ASYNC engine keeps it for linear models). Confined to one thread.
 */
public final class LinearData {
    private final double[][] x;
    private final double[] y;
    private final Loss loss;
    private final double lambda;
    private final int totalRows;
    private final int shares;
    private final SplittableRandom random;
    private double[] table;
    private double[] tableSum;

    /**
     * @param x         rows, each ending with the intercept's 1; kept, not copied
     * @param y         labels (0 or 1 for {@link Loss#LOGISTIC})
     * @param loss      the loss
     * @param lambda    the ridge weight, ≥ 0
     * @param totalRows the rows of the whole problem
     * @param shares    how many workers share the problem
     * @param seed      the seed of this share's minibatches
     */
    LinearData(double[][] x, double[] y, Loss loss, double lambda, int totalRows, int shares, long seed) {
        this.x = x;
        this.y = y;
        this.loss = loss;
        this.lambda = lambda;
        this.totalRows = totalRows;
        this.shares = shares;
        this.random = new SplittableRandom(seed);
    }

    /** The rows of this share. */
    public int rows() {
        return y.length;
    }

    /** The weights' length: the features and the intercept. */
    public int width() {
        return x.length == 0 ? 0 : x[0].length;
    }

    /** The loss. */
    public Loss loss() {
        return loss;
    }

    /** The ridge weight. */
    public double lambda() {
        return lambda;
    }

    /** The rows of the whole problem. */
    public int totalRows() {
        return totalRows;
    }

    /** How many workers share the problem. */
    public int shares() {
        return shares;
    }

    /** The rows a minibatch of {@code fraction} of a share samples: at least 1. */
    public int batchRows(double fraction) {
        return Math.max(1, (int) Math.round(fraction * totalRows / shares));
    }

    /**
     * The smoothness constants of the objective's loss part: {@code [L, Lmax]}, L of the average loss (the loss's
     * bound times the largest eigenvalue of XᵀX / n, by 50 power iterations) and Lmax of the worst single sample.
     */
    public double[] smoothness() {
        int k = width();
        double[] v = new double[k];
        java.util.Arrays.fill(v, 1 / Math.sqrt(k));
        double eigen = 0;
        for (int it = 0; it < 50; it++) {
            double[] next = new double[k];
            for (int i = 0; i < y.length; i++) {
                addRow(next, i, margin(i, v) / y.length);
            }
            double norm = 0;
            for (double a : next) {
                norm += a * a;
            }
            norm = Math.sqrt(norm);
            if (norm == 0) {
                break;
            }
            eigen = norm;
            for (int j = 0; j < k; j++) {
                v[j] = next[j] / norm;
            }
        }
        return new double[] {loss.smoothness() * eigen, loss.smoothness() * maxRowNorm()};
    }

    /** Samples {@code m} rows of this share, with replacement. */
    int[] sample(int m) {
        int[] rows = new int[m];
        for (int i = 0; i < m; i++) {
            rows[i] = random.nextInt(y.length);
        }
        return rows;
    }

    double margin(int row, double[] w) {
        double[] r = x[row];
        double z = 0;
        for (int j = 0; j < r.length; j++) {
            z += r[j] * w[j];
        }
        return z;
    }

    /** {@code target += scale * x[row]}. */
    void addRow(double[] target, int row, double scale) {
        double[] r = x[row];
        for (int j = 0; j < r.length; j++) {
            target[j] += scale * r[j];
        }
    }

    /** The loss's gradient summed over {@code rows} (the ridge term left out). */
    double[] gradientSum(int[] rows, double[] w) {
        double[] g = new double[width()];
        for (int row : rows) {
            addRow(g, row, loss.derivative(margin(row, w), y[row]));
        }
        return g;
    }

    /**
     * SAGA's step on a share: for each of {@code rows}, the new loss derivative replaces the table's; adds
     * {@code Σ (new − old) xᵢ} to {@code delta} and keeps the table's sum {@code Σ table_i xᵢ} up to date.
     *
     * @return the table's sum after the step, a copy
     */
    double[] sagaStep(int[] rows, double[] w, double[] delta) {
        if (table == null) {
            table = new double[y.length];
            tableSum = new double[width()];
        }
        for (int row : rows) {
            double next = loss.derivative(margin(row, w), y[row]);
            double change = next - table[row];
            if (change != 0) {
                addRow(delta, row, change);
                addRow(tableSum, row, change);
                table[row] = next;
            }
        }
        return tableSum.clone();
    }

    /** The objective F(w) over this data's rows. */
    public double objective(double[] w) {
        double sum = 0;
        for (int i = 0; i < y.length; i++) {
            sum += loss.value(margin(i, w), y[i]);
        }
        double norm = 0;
        for (double v : w) {
            norm += v * v;
        }
        return sum / y.length + lambda / 2 * norm;
    }

    /** The largest ‖xᵢ‖², for step sizes. */
    public double maxRowNorm() {
        double max = 0;
        for (double[] r : x) {
            double n = 0;
            for (double v : r) {
                n += v * v;
            }
            max = Math.max(max, n);
        }
        return max;
    }

    /**
     * The exact minimiser of {@link #objective}, by Newton's method with backtracking (one step for least squares),
     * to a gradient norm of 1e-12 relative. O(n k²) per Newton step.
     *
     * @throws IllegalStateException when λ = 0 and the data do not determine w
     */
    public double[] optimum() {
        int k = width();
        double[] w = new double[k];
        double f = objective(w);
        for (int iteration = 0; iteration < 100; iteration++) {
            double[] g = new double[k];
            double[] h = new double[k * k];
            for (int i = 0; i < y.length; i++) {
                double z = margin(i, w);
                double d = loss.derivative(z, y[i]) / y.length;
                double c = loss.curvature(z) / y.length;
                double[] r = x[i];
                for (int a = 0; a < k; a++) {
                    g[a] += d * r[a];
                    double cr = c * r[a];
                    for (int b = 0; b <= a; b++) {
                        h[a * k + b] += cr * r[b];
                    }
                }
            }
            double norm = 0;
            for (int a = 0; a < k; a++) {
                g[a] += lambda * w[a];
                h[a * k + a] += lambda + 1e-12;
                norm += g[a] * g[a];
            }
            if (Math.sqrt(norm) <= 1e-12 * Math.max(1, Math.abs(f))) {
                return w;
            }
            double[] step;
            try {
                step = new Cholesky(h, k).solve(g);
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the optimum is not unique (the Hessian is singular); give a ridge"
                        + " weight λ > 0", e);
            }
            double t = 1;
            double[] next = new double[k];
            while (true) {
                for (int a = 0; a < k; a++) {
                    next[a] = w[a] - t * step[a];
                }
                double fn = objective(next);
                if (fn <= f || t < 1e-10) {
                    f = fn;
                    break;
                }
                t /= 2;
            }
            System.arraycopy(next, 0, w, 0, k);
        }
        return w;
    }
}
