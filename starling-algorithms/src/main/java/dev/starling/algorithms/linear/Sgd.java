package dev.starling.algorithms.linear;

import dev.starling.algorithms.Algorithm;
import dev.starling.algorithms.Answer;
import java.util.List;

/**
 * Minibatch stochastic gradient descent on a {@link LinearData} problem. Each worker answers with the mean loss
 * gradient of a minibatch of its share; the step is {@code w ← w − ηₜ (g + λ w)}, with
 * {@code ηₜ = η₀ / (1 + samples / n)} (samples seen so far over the rows: a 1/t decay in passes over the data) and
 * {@code η₀ = 1 / (2 (L + Lmax / m))} unless given. The synchronous step averages every worker's gradient; the
 * asynchronous one applies each on arrival, scaled by the {@link StalenessRule}. The query is the weights. Not
 * thread-safe: its central state belongs to the central node.
 */
public final class Sgd implements Algorithm<LinearData, double[], double[]> {
    private final Minibatch settings;
    private double[] w;
    private double eta0;
    private long samples;
    private int batch;

    /** SGD with {@link Minibatch#DEFAULT}. */
    public Sgd() {
        this(Minibatch.DEFAULT);
    }

    /** SGD with these settings. */
    public Sgd(Minibatch settings) {
        this.settings = settings;
    }

    @Override
    public Class<double[]> queryType() {
        return double[].class;
    }

    @Override
    public Class<double[]> answerType() {
        return double[].class;
    }

    @Override
    public double[] init(LinearData problem) {
        w = new double[problem.width()];
        batch = problem.batchRows(settings.batch());
        double[] l = problem.smoothness();
        eta0 = settings.step() > 0 ? settings.step() : 1 / (2 * (l[0] + l[1] / batch + problem.lambda()));
        return w.clone();
    }

    @Override
    public double[] step(double[] query, LinearData share) {
        int[] rows = share.sample(share.batchRows(settings.batch()));
        double[] g = share.gradientSum(rows, query);
        for (int j = 0; j < g.length; j++) {
            g[j] /= rows.length;
        }
        return g;
    }

    @Override
    public double[] central(Answer<double[]> answer, LinearData problem) {
        descend(answer.value(), settings.staleness().factor(answer.staleness()), batch, problem);
        return w.clone();
    }

    @Override
    public double[] central(List<Answer<double[]>> answers, LinearData problem) {
        // Late answers of a quorum step are weighted by the staleness rule; a synchronous step's are all fresh.
        double[] mean = new double[w.length];
        for (Answer<double[]> a : answers) {
            double factor = settings.staleness().factor(a.staleness());
            for (int j = 0; j < mean.length; j++) {
                mean[j] += factor * a.value()[j] / answers.size();
            }
        }
        descend(mean, 1, (long) batch * answers.size(), problem);
        return w.clone();
    }

    private void descend(double[] g, double factor, long seen, LinearData problem) {
        samples += seen;
        if (factor == 0) {
            return;
        }
        double eta = factor * eta0 / (1 + (double) samples / problem.totalRows());
        for (int j = 0; j < w.length; j++) {
            w[j] -= eta * (g[j] + problem.lambda() * w[j]);
        }
    }

    /** The objective F(w) over all rows. */
    @Override
    public double metric(double[] query, LinearData problem) {
        return problem.objective(query);
    }
}
