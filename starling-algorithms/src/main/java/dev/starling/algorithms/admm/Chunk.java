package dev.starling.algorithms.admm;

import dev.starling.algorithms.internal.Cholesky;
import java.util.SplittableRandom;

/**
 * One chunk of a lasso problem's rows, built on the worker that keeps it, with its local ADMM solver: β = argmin
 * w ‖y − X β‖² + (ρ/2) ‖β − z + u‖², i.e. (2w XᵀX + ρI) β = 2w Xᵀy + ρ (z − u). Confined to one worker thread.
 */
final class Chunk {
    private final LassoProblem problem;
    private final int rows;
    private final int k;
    /** X, row-major, rows × k. */
    private final double[] x;
    private final double[] y;
    /** XᵀX (row-major k × k) and Xᵀy, computed once. */
    private double[] gram;
    private double[] xty;
    private Cholesky cholesky;

    private Chunk(LassoProblem problem, double[] x, double[] y) {
        this.problem = problem;
        this.rows = problem.rowsPerChunk();
        this.k = problem.features();
        this.x = x;
        this.y = y;
    }

    /** Generates chunk {@code index} of {@code problem} from its seed. */
    static Chunk generate(LassoProblem problem, int index) {
        if (index < 0 || index >= problem.chunks()) {
            throw new IllegalArgumentException("chunk " + index + " of a problem with " + problem.chunks()
                    + " chunks");
        }
        int m = problem.rowsPerChunk();
        int k = problem.features();
        double[] beta = problem.trueBeta();
        SplittableRandom random = new SplittableRandom(problem.seed() * 1_000 + index + 1);
        double[] x = new double[m * k];
        double[] y = new double[m];
        for (int r = 0; r < m; r++) {
            double dot = 0;
            for (int j = 0; j < k; j++) {
                double v = random.nextGaussian();
                x[r * k + j] = v;
                dot += v * beta[j];
            }
            y[r] = dot + 2 * random.nextGaussian();
        }
        return new Chunk(problem, x, y);
    }

    /** w XᵀX (k × k, row-major), w Xᵀy and w yᵀy: this chunk's part of the objective. */
    AdmmFunctions.Gram gram() {
        ensureGram();
        double w = problem.weight();
        double[] g = gram.clone();
        for (int i = 0; i < g.length; i++) {
            g[i] *= w;
        }
        double[] c = new double[k];
        for (int j = 0; j < k; j++) {
            c[j] = w * xty[j];
        }
        double yy = 0;
        for (double v : y) {
            yy += v * v;
        }
        return new AdmmFunctions.Gram(g, c, w * yy);
    }

    private void ensureGram() {
        if (gram != null) {
            return;
        }
        double[] g = new double[k * k];
        for (int r = 0; r < rows; r++) {
            int o = r * k;
            for (int i = 0; i < k; i++) {
                double xi = x[o + i];
                int gi = i * k;
                for (int j = i; j < k; j++) {
                    g[gi + j] += xi * x[o + j];
                }
            }
        }
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < i; j++) {
                g[i * k + j] = g[j * k + i];
            }
        }
        xty = xtTimes(y);
        gram = g;
    }

    /** The local update from the consensus {@code z} and this chunk's scaled dual {@code u}. */
    double[] update(double[] beta, double[] z, double[] u) {
        return problem.local() == LassoProblem.Local.EXACT ? exact(z, u) : iterative(beta, z, u);
    }

    private double[] exact(double[] z, double[] u) {
        double w2 = 2 * problem.weight();
        if (cholesky == null) {
            ensureGram();
            double[] a = new double[k * k];
            for (int i = 0; i < k * k; i++) {
                a[i] = w2 * gram[i];
            }
            for (int i = 0; i < k; i++) {
                a[i * k + i] += problem.rho();
            }
            cholesky = new Cholesky(a, k);
        }
        double[] b = new double[k];
        for (int j = 0; j < k; j++) {
            b[j] = w2 * xty[j] + problem.rho() * (z[j] - u[j]);
        }
        return cholesky.solve(b);
    }

    /** Conjugate gradients on (2w XᵀX + ρI) β = 2w Xᵀy + ρ (z − u), applying X and Xᵀ to vectors only. */
    private double[] iterative(double[] start, double[] z, double[] u) {
        double w2 = 2 * problem.weight();
        double rho = problem.rho();
        double[] rhs = xtTimes(y);
        for (int j = 0; j < k; j++) {
            rhs[j] = w2 * rhs[j] + rho * (z[j] - u[j]);
        }
        double[] beta = start == null || start.length != k ? new double[k] : start.clone();
        double[] r = rhs.clone();
        double[] ab = apply(beta, w2, rho);
        for (int j = 0; j < k; j++) {
            r[j] -= ab[j];
        }
        double[] p = r.clone();
        double rr = dot(r, r);
        double stop = 1e-20 * dot(rhs, rhs);
        for (int iteration = 0; iteration < 200 && rr > stop; iteration++) {
            double[] ap = apply(p, w2, rho);
            double alpha = rr / dot(p, ap);
            for (int j = 0; j < k; j++) {
                beta[j] += alpha * p[j];
                r[j] -= alpha * ap[j];
            }
            double next = dot(r, r);
            double ratio = next / rr;
            for (int j = 0; j < k; j++) {
                p[j] = r[j] + ratio * p[j];
            }
            rr = next;
        }
        return beta;
    }

    /** (2w XᵀX + ρI) v, as 2w Xᵀ(X v) + ρ v. */
    private double[] apply(double[] v, double w2, double rho) {
        double[] xv = new double[rows];
        for (int r = 0; r < rows; r++) {
            double s = 0;
            int o = r * k;
            for (int j = 0; j < k; j++) {
                s += x[o + j] * v[j];
            }
            xv[r] = s;
        }
        double[] out = xtTimes(xv);
        for (int j = 0; j < k; j++) {
            out[j] = w2 * out[j] + rho * v[j];
        }
        return out;
    }

    private double[] xtTimes(double[] v) {
        double[] out = new double[k];
        for (int r = 0; r < rows; r++) {
            double vr = v[r];
            int o = r * k;
            for (int j = 0; j < k; j++) {
                out[j] += x[o + j] * vr;
            }
        }
        return out;
    }

    /** The dot product of two vectors of one length. */
    static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

}
