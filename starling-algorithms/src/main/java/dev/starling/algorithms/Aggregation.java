package dev.starling.algorithms;

import java.util.List;

/**
 * An algorithm whose central step sees the mean of the latest answer of every worker (AsynchronousIterativeAlgorithms.jl's
 * aggregation): answers are {@code double[]} of one length, and the central node keeps each worker's latest answer and
 * their running sum, so its memory grows by one answer per worker and never with the iterations. Works in every
 * mode. A worker that has not answered yet counts as zero in the mean; {@link #answered()} says how many have. Its
 * central side is not thread-safe: the central node alone uses it.
 *
 * @param <P> the problem
 * @param <Q> the query
 */
public abstract class Aggregation<P, Q> implements Algorithm<P, Q, double[]> {
    private double[][] latest;
    private double[] sum;
    private double[] mean;
    private int answered;

    /** For subclasses. */
    protected Aggregation() {
    }

    /** The central step: the next query from the mean of every worker's latest answer. */
    protected abstract Q central(double[] mean, P problem);

    @Override
    public final Class<double[]> answerType() {
        return double[].class;
    }

    /** How many workers have answered at least once. */
    protected final int answered() {
        return answered;
    }

    @Override
    public final Q central(Answer<double[]> answer, P problem) {
        apply(answer);
        return central(mean().clone(), problem);
    }

    @Override
    public final Q central(List<Answer<double[]>> answers, P problem) {
        answers.forEach(this::apply);
        return central(mean().clone(), problem);
    }

    /** Called by the framework before {@link #init}: how many workers answer. */
    final void workers(int count) {
        latest = new double[count][];
        sum = null;
        answered = 0;
    }

    private void apply(Answer<double[]> answer) {
        double[] a = answer.value();
        if (sum == null) {
            sum = new double[a.length];
            mean = new double[a.length];
        }
        Vectors.checkLength(a, sum.length, answer.worker());
        double[] old = latest[answer.worker()];
        if (old == null) {
            answered++;
            Vectors.add(sum, a, 1);
        } else {
            for (int j = 0; j < a.length; j++) {
                sum[j] += a[j] - old[j];
            }
        }
        latest[answer.worker()] = a;
    }

    private double[] mean() {
        double n = latest.length;
        for (int j = 0; j < sum.length; j++) {
            mean[j] = sum[j] / n;
        }
        return mean;
    }
}
