package dev.starling.algorithms;

import java.util.List;

/**
 * An algorithm whose central step sees the mean of the latest answer of every worker, kept as a running average
 * (AsynchronousIterativeAlgorithms.jl's averaging): each worker sends the difference between its new answer and its
 * previous one, and the central node adds it to the one mean it keeps. Central memory is about two answers (the
 * mean and the answer being applied), whatever the number of workers and iterations. Answers are {@code double[]} of
 * one length; a worker that has not answered yet counts as zero.
 *
 * <p>A worker remembers its previous answer, so this helper assumes no answer is lost: a replacement of a lost
 * worker starts again from zero, and the lost worker's last answer stays in the mean. Use {@link Aggregation} where
 * workers may be lost. Each worker uses its own instance; the central side is confined to the central node.
 *
 * @param <P> the problem
 * @param <Q> the query
 */
public abstract class Averaging<P, Q> implements Algorithm<P, Q, double[]> {
    private double[] previous;
    private double[] mean;
    private int workers;

    /** For subclasses. */
    protected Averaging() {
    }

    /** A worker's full answer to {@code query}; the framework sends its difference to the previous one. */
    protected abstract double[] answer(Q query, P problem) throws Exception;

    /** The central step: the next query from the mean of every worker's latest answer. */
    protected abstract Q central(double[] mean, P problem);

    @Override
    public final Class<double[]> answerType() {
        return double[].class;
    }

    @Override
    public final double[] step(Q query, P problem) throws Exception {
        double[] a = answer(query, problem);
        double[] delta = a.clone();
        if (previous != null) {
            Vectors.checkLength(a, previous.length, -1);
            Vectors.add(delta, previous, -1);
        }
        previous = a;
        return delta;
    }

    @Override
    public final Q central(Answer<double[]> answer, P problem) {
        apply(answer);
        return central(mean.clone(), problem);
    }

    @Override
    public final Q central(List<Answer<double[]>> answers, P problem) {
        answers.forEach(this::apply);
        return central(mean.clone(), problem);
    }

    /** Called by the framework before {@link #init}: how many workers answer. */
    final void workers(int count) {
        workers = count;
        mean = null;
    }

    private void apply(Answer<double[]> answer) {
        double[] delta = answer.value();
        if (mean == null) {
            mean = new double[delta.length];
        }
        Vectors.checkLength(delta, mean.length, answer.worker());
        Vectors.add(mean, delta, 1.0 / workers);
    }
}
