package dev.starling.optimize.internal;

import java.util.Arrays;

/**
 * Normal scores: values replaced by the standard-normal quantiles of their ranks, {@code Φ⁻¹((rank - 1/2) / n)}, a
 * Gaussian copula transform. A surrogate fitted on normal scores sees every loss on the same bounded scale (within
 * ±3.9 for up to 10,000 values) whatever the spread of the raw losses, and the order of the values is kept. Stateless
 * and thread-safe.
 */
public final class NormalScores {
    // Rational approximations of the normal quantile (P. J. Acklam), relative error below 1.2e-9.
    private static final double[] A = {-3.969683028665376e+01, 2.209460984245205e+02, -2.759285104469687e+02,
        1.383577518672690e+02, -3.066479806614716e+01, 2.506628277459239e+00};
    private static final double[] B = {-5.447609879822406e+01, 1.615858368580409e+02, -1.556989798598866e+02,
        6.680131188771972e+01, -1.328068155288572e+01};
    private static final double[] C = {-7.784894002430293e-03, -3.223964580411365e-01, -2.400758277161838e+00,
        -2.549732539343734e+00, 4.374664141464968e+00, 2.938163982698783e+00};
    private static final double[] D = {7.784695709041462e-03, 3.224671290700398e-01, 2.445134137142996e+00,
        3.754408661907416e+00};
    private static final double TAIL = 0.02425;

    private NormalScores() {
    }

    /**
     * Replaces each value by the normal score of its rank. Equal values share the score of their average rank.
     *
     * @param values finite values, replaced in place
     */
    public static void transform(double[] values) {
        int n = values.length;
        Integer[] order = new Integer[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        double[] original = values.clone();
        Arrays.sort(order, (a, b) -> Double.compare(original[a], original[b]));
        for (int start = 0; start < n; ) {
            int end = start + 1;
            while (end < n && original[order[end]] == original[order[start]]) {
                end++;
            }
            // ranks start + 1 … end share their average, (start + end + 1) / 2
            double score = quantile((start + end) / 2.0 / n);
            for (int k = start; k < end; k++) {
                values[order[k]] = score;
            }
            start = end;
        }
    }

    /**
     * The standard normal quantile {@code Φ⁻¹(p)}.
     *
     * @throws IllegalArgumentException when {@code p} is not strictly between 0 and 1
     */
    public static double quantile(double p) {
        if (!(p > 0 && p < 1)) {
            throw new IllegalArgumentException("p must be strictly between 0 and 1, was " + p);
        }
        if (p < TAIL) {
            return tail(Math.sqrt(-2 * Math.log(p)));
        }
        if (p > 1 - TAIL) {
            return -tail(Math.sqrt(-2 * Math.log1p(-p)));
        }
        double q = p - 0.5;
        double r = q * q;
        return (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
                / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1);
    }

    private static double tail(double q) {
        return (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
                / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1);
    }
}
