package dev.starling.algorithms.admm;

/**
 * The lasso's objective from the gathered Gram matrix — f(z) = zᵀGz − 2cᵀz + yy + λ‖z‖₁, a k × k product with no pass
 * over the data — and its exact minimum, by FISTA, computed once. Immutable.
 */
final class Reference {
    private final double[] g;
    private final double[] c;
    private final double yy;
    private final double lambda;
    private final int k;
    private final double minimum;
    private final double[] argmin;

    Reference(double[] g, double[] c, double yy, double lambda) {
        this.g = g;
        this.c = c;
        this.yy = yy;
        this.lambda = lambda;
        this.k = c.length;
        this.argmin = fista();
        this.minimum = objective(argmin);
    }

    /** The objective at {@code z}. */
    double objective(double[] z) {
        double quadratic = 0;
        double linear = 0;
        double l1 = 0;
        for (int i = 0; i < k; i++) {
            double gz = 0;
            int o = i * k;
            for (int j = 0; j < k; j++) {
                gz += g[o + j] * z[j];
            }
            quadratic += z[i] * gz;
            linear += c[i] * z[i];
            l1 += Math.abs(z[i]);
        }
        return quadratic - 2 * linear + yy + lambda * l1;
    }

    /** The minimum of the objective. */
    double minimum() {
        return minimum;
    }

    /** Where the minimum is. */
    double[] argmin() {
        return argmin.clone();
    }

    /** The relative gap (f(z) − f*) / |f*|. */
    double gap(double[] z) {
        return (objective(z) - minimum) / Math.abs(minimum);
    }

    private double[] times(double[] v) {
        double[] out = new double[k];
        for (int i = 0; i < k; i++) {
            double s = 0;
            int o = i * k;
            for (int j = 0; j < k; j++) {
                s += g[o + j] * v[j];
            }
            out[i] = s;
        }
        return out;
    }

    /** The largest eigenvalue of G, by power iteration. */
    private double largestEigenvalue() {
        double[] v = new double[k];
        java.util.Arrays.fill(v, 1 / Math.sqrt(k));
        double eigenvalue = 0;
        for (int i = 0; i < 500; i++) {
            double[] w = times(v);
            double norm = Math.sqrt(Chunk.dot(w, w));
            if (norm == 0) {
                return 1;
            }
            for (int j = 0; j < k; j++) {
                v[j] = w[j] / norm;
            }
            if (Math.abs(norm - eigenvalue) <= 1e-12 * norm) {
                return norm;
            }
            eigenvalue = norm;
        }
        return eigenvalue;
    }

    private double[] fista() {
        double step = 1 / (2 * largestEigenvalue() * 1.0001);
        double[] x = new double[k];
        double[] y = x.clone();
        double t = 1;
        for (int iteration = 0; iteration < 20_000; iteration++) {
            double[] gy = times(y);
            double[] next = new double[k];
            double change = 0;
            for (int j = 0; j < k; j++) {
                next[j] = Admm.shrink(y[j] - step * (2 * gy[j] - 2 * c[j]), step * lambda);
                change = Math.max(change, Math.abs(next[j] - x[j]));
            }
            double tn = (1 + Math.sqrt(1 + 4 * t * t)) / 2;
            for (int j = 0; j < k; j++) {
                y[j] = next[j] + (t - 1) / tn * (next[j] - x[j]);
            }
            x = next;
            t = tn;
            if (change < 1e-15 && iteration > 100) {
                break;
            }
        }
        return x;
    }
}
