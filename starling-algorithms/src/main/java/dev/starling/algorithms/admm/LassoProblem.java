package dev.starling.algorithms.admm;

import java.util.SplittableRandom;

/**
 * A lasso problem on generated data, as in the Dask blog: {@code rows} × {@code features} standard normal X split
 * into {@code chunks} equal chunks of rows, y = X β + N(0, 2²) noise, with a true β of uniform [0, 1) values of which
 * 10 (drawn with replacement) are zero. The objective is Σ_i w ‖y_i − X_i z‖² + λ ‖z‖₁ with w = 1 / (rows per
 * chunk) for {@link Loss#MEAN} and 1 for {@link Loss#SUM}. Every number is derived from {@code seed}, so the central
 * node and every worker build the same problem. Immutable.
 *
 * @param rows      rows in all (a multiple of {@code chunks})
 * @param features  features (columns of X)
 * @param chunks    chunks of rows, each kept by one worker
 * @param rho       the ADMM penalty ρ
 * @param lambda    the l1 weight λ
 * @param loss      how a chunk's squared error is weighted
 * @param local     how a worker solves its local problem
 * @param seed      the seed of all data
 */
public record LassoProblem(int rows, int features, int chunks, double rho, double lambda, Loss loss, Local local,
                           long seed) {

    /** How a chunk's squared error is weighted. */
    public enum Loss {
        /** Divided by the chunk's rows: ρ = 1.2 then matches the local curvature (about 2). */
        MEAN,
        /** Summed, as the blog writes it: the local curvature is about 2 × rows per chunk, far above ρ = 1.2. */
        SUM
    }

    /** How a worker solves its local problem. */
    public enum Local {
        /**
         * Exactly, with the chunk's Gram matrix and its Cholesky factor cached on the worker: O(k²) per update.
         */
        EXACT,
        /**
         * With conjugate gradients on the raw chunk, matrix-free, warm-started from the chunk's last answer, to a
         * relative residual of 1e-10: real compute per update, as the blog's L-BFGS has.
         */
        ITERATIVE
    }

    public LassoProblem {
        if (rows < 1 || features < 1 || chunks < 1) {
            throw new IllegalArgumentException("rows, features and chunks must be at least 1, were " + rows + ", "
                    + features + ", " + chunks);
        }
        if (rows % chunks != 0) {
            throw new IllegalArgumentException("rows (" + rows + ") must be a multiple of chunks (" + chunks + ")");
        }
        if (!(rho > 0) || !(lambda >= 0)) {
            throw new IllegalArgumentException("rho must be positive and lambda zero or more, were " + rho + " and "
                    + lambda);
        }
        if (loss == null || local == null) {
            throw new IllegalArgumentException("loss and local solver must be given");
        }
    }

    /** The blog's problem on this machine's scale: 200,000 × 100 in 20 chunks, ρ = 1.2, λ = 7.2, mean loss. */
    public static LassoProblem defaults() {
        return new LassoProblem(200_000, 100, 20, 1.2, 7.2, Loss.MEAN, Local.EXACT, 0);
    }

    /** Rows per chunk. */
    public int rowsPerChunk() {
        return rows / chunks;
    }

    /** The weight of a chunk's squared error. */
    public double weight() {
        return loss == Loss.MEAN ? 1.0 / rowsPerChunk() : 1.0;
    }

    /** The true coefficients the data was generated from. */
    public double[] trueBeta() {
        SplittableRandom random = new SplittableRandom(seed);
        double[] beta = new double[features];
        for (int j = 0; j < features; j++) {
            beta[j] = random.nextDouble();
        }
        for (int i = 0; i < Math.min(10, features); i++) {
            beta[random.nextInt(features)] = 0;
        }
        return beta;
    }

    /** This problem with another local solver. */
    public LassoProblem withLocal(Local solver) {
        return new LassoProblem(rows, features, chunks, rho, lambda, loss, solver, seed);
    }
}
