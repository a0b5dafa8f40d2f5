package dev.starling.algorithms;

import java.util.List;
import java.util.SplittableRandom;

/**
 * A least-squares problem split by rows over the workers, and gradient descent on it: each worker answers with the
 * gradient of its share; the synchronous central step sums all of them, the asynchronous one keeps every worker's
 * latest gradient and steps with their sum (an aggregate whose memory does not grow with the iterations).
 */
final class LeastSquares {
    static final int ROWS_PER_WORKER = 200;
    static final int FEATURES = 5;

    private LeastSquares() {
    }

    /** Rows of A and b, whose share it is, and how many workers share the problem. */
    record Share(double[][] a, double[] b, int index, int workers) {
    }

    /** Worker i's rows, from a fixed seed; the central node holds every row, for the exact solution. */
    public static final class Shares implements ProblemBuilder<Share> {
        @Override
        public Share worker(int index, int count) {
            SplittableRandom random = new SplittableRandom(17 + index);
            double[][] a = new double[ROWS_PER_WORKER][FEATURES];
            double[] b = new double[ROWS_PER_WORKER];
            for (int r = 0; r < ROWS_PER_WORKER; r++) {
                for (int j = 0; j < FEATURES; j++) {
                    a[r][j] = random.nextGaussian();
                    b[r] += a[r][j] * (j + 1);
                }
                b[r] += 0.1 * random.nextGaussian();
            }
            return new Share(a, b, index, count);
        }

        @Override
        public Share central(int count) {
            double[][] a = new double[count * ROWS_PER_WORKER][];
            double[] b = new double[count * ROWS_PER_WORKER];
            for (int w = 0; w < count; w++) {
                Share s = worker(w, count);
                for (int r = 0; r < ROWS_PER_WORKER; r++) {
                    a[w * ROWS_PER_WORKER + r] = s.a()[r];
                    b[w * ROWS_PER_WORKER + r] = s.b()[r];
                }
            }
            return new Share(a, b, -1, count);
        }
    }

    /** The exact minimiser, by the normal equations (Gaussian elimination; 5 × 5). */
    static double[] solve(Share s) {
        int k = FEATURES;
        double[][] m = new double[k][k + 1];
        for (int r = 0; r < s.b().length; r++) {
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    m[i][j] += s.a()[r][i] * s.a()[r][j];
                }
                m[i][k] += s.a()[r][i] * s.b()[r];
            }
        }
        for (int c = 0; c < k; c++) {
            for (int r = c + 1; r < k; r++) {
                double f = m[r][c] / m[c][c];
                for (int j = c; j <= k; j++) {
                    m[r][j] -= f * m[c][j];
                }
            }
        }
        double[] x = new double[k];
        for (int i = k - 1; i >= 0; i--) {
            double v = m[i][k];
            for (int j = i + 1; j < k; j++) {
                v -= m[i][j] * x[j];
            }
            x[i] = v / m[i][i];
        }
        return x;
    }

    /**
     * Gradient descent; the gradient of a share is Aᵀ(Ax − b) / (all rows). The central node keeps x and, for the
     * asynchronous step, each worker's latest gradient.
     */
    public static final class GradientDescent implements Algorithm<Share, double[], double[]> {
        static final double STEP = 0.5;
        private double[] x;
        private double[][] latest;
        private double[] exact;

        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public Class<double[]> answerType() {
            return double[].class;
        }

        @Override
        public double[] init(Share problem) {
            exact = solve(problem);
            x = new double[FEATURES];
            latest = new double[problem.workers()][];
            return x.clone();
        }

        @Override
        public double[] step(double[] query, Share share) {
            double[] g = new double[FEATURES];
            for (int r = 0; r < share.b().length; r++) {
                double residual = -share.b()[r];
                for (int j = 0; j < FEATURES; j++) {
                    residual += share.a()[r][j] * query[j];
                }
                for (int j = 0; j < FEATURES; j++) {
                    g[j] += share.a()[r][j] * residual / (ROWS_PER_WORKER * share.workers());
                }
            }
            return g;
        }

        @Override
        public double[] central(List<Answer<double[]>> answers, Share problem) {
            for (Answer<double[]> a : answers) {
                for (int j = 0; j < FEATURES; j++) {
                    x[j] -= STEP * a.value()[j];
                }
            }
            return x.clone();
        }

        @Override
        public double[] central(Answer<double[]> answer, Share problem) {
            latest[answer.worker()] = answer.value();
            for (double[] g : latest) {
                if (g != null) {
                    for (int j = 0; j < FEATURES; j++) {
                        x[j] -= STEP / latest.length * g[j];
                    }
                }
            }
            return x.clone();
        }

        @Override
        public double metric(double[] query, Share problem) {
            double d = 0;
            double n = 0;
            for (int j = 0; j < FEATURES; j++) {
                d += (query[j] - exact[j]) * (query[j] - exact[j]);
                n += exact[j] * exact[j];
            }
            return Math.sqrt(d / n);
        }
    }

    /** Gradient descent whose central step sees the mean of every worker's latest gradient (the aggregation helper). */
    public static final class AggregatedDescent extends Aggregation<Share, double[]> {
        private final GradientDescent plain = new GradientDescent();
        private double[] x;

        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public double[] init(Share problem) {
            x = new double[FEATURES];
            return plain.init(problem);
        }

        @Override
        public double[] step(double[] query, Share share) {
            return plain.step(query, share);
        }

        @Override
        protected double[] central(double[] mean, Share problem) {
            for (int j = 0; j < FEATURES; j++) {
                x[j] -= GradientDescent.STEP * mean[j];
            }
            return x.clone();
        }

        @Override
        public double metric(double[] query, Share problem) {
            return plain.metric(query, problem);
        }
    }

    /** The same with the averaging helper: workers send the change of their gradient. */
    public static final class AveragedDescent extends Averaging<Share, double[]> {
        private final GradientDescent plain = new GradientDescent();
        private double[] x;

        @Override
        public Class<double[]> queryType() {
            return double[].class;
        }

        @Override
        public double[] init(Share problem) {
            x = new double[FEATURES];
            return plain.init(problem);
        }

        @Override
        protected double[] answer(double[] query, Share share) {
            return plain.step(query, share);
        }

        @Override
        protected double[] central(double[] mean, Share problem) {
            for (int j = 0; j < FEATURES; j++) {
                x[j] -= GradientDescent.STEP * mean[j];
            }
            return x.clone();
        }

        @Override
        public double metric(double[] query, Share problem) {
            return plain.metric(query, problem);
        }
    }
}
