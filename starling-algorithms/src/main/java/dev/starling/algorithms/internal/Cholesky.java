package dev.starling.algorithms.internal;

/**
 * The Cholesky factor L (A = L Lᵀ) of a small symmetric positive definite matrix, and solves with it: O(k³/3) once,
 * then O(k²) per solve — for k = 100, a solve is 20,000 multiply-adds. Written here rather than taken from a linear
 * algebra library: it is 40 lines, and the libraries tried (EJML 0.46) ship no module name, which a modular build
 * warns about. Shared by ADMM's local solver and the linear models' exact optimum. Immutable after construction; {@link #solve} is thread-safe.
 */
public final class Cholesky {
    private final int k;
    /** L, row-major, lower triangle. */
    private final double[] l;

    /**
     * Factors {@code a}, row-major k × k; only its lower triangle is read.
     *
     * @throws IllegalArgumentException when {@code a} is not positive definite
     */
    public Cholesky(double[] a, int k) {
        this.k = k;
        this.l = new double[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j <= i; j++) {
                double s = a[i * k + j];
                for (int p = 0; p < j; p++) {
                    s -= l[i * k + p] * l[j * k + p];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalArgumentException("the matrix is not positive definite (pivot " + i + " is "
                                + s + ")");
                    }
                    l[i * k + i] = Math.sqrt(s);
                } else {
                    l[i * k + j] = s / l[j * k + j];
                }
            }
        }
    }

    /** The x with A x = b. */
    public double[] solve(double[] b) {
        double[] y = new double[k];
        for (int i = 0; i < k; i++) {
            double s = b[i];
            for (int p = 0; p < i; p++) {
                s -= l[i * k + p] * y[p];
            }
            y[i] = s / l[i * k + i];
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double s = y[i];
            for (int p = i + 1; p < k; p++) {
                s -= l[p * k + i] * x[p];
            }
            x[i] = s / l[i * k + i];
        }
        return x;
    }
}
