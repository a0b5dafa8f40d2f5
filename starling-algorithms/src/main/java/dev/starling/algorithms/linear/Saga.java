package dev.starling.algorithms.linear;

import dev.starling.algorithms.Algorithm;
import dev.starling.algorithms.Answer;
import java.util.List;

/**
 * SAGA (Defazio, Bach and Lacoste-Julien, 2014) on a {@link LinearData} problem, distributed as the ASYNC engine does
 * for linear models: each worker keeps one scalar per sample of its share (the loss derivative at the sample's last
 * visit) and answers with the sum of the changes {@code Σ (new − old) xᵢ} over a minibatch, and the sum of its whole
 * table {@code Σ tableᵢ xᵢ}. The central node keeps each worker's latest table sum (one weight vector per worker,
 * never growing with the iterations); a step uses the table sum the answering worker computed against (its table
 * minus its change), so it stays unbiased after a worker is replaced, and steps
 * {@code w ← w − η (Δ / m + ḡ + λ w)}, with {@code η = 1 / (4 (L + Lmax / m))} (minibatch SAGA's step) unless given.
 * Asynchronous steps scale η by the {@link StalenessRule}; a dropped answer still updates the table's mean. The query
 * is the weights. Not thread-safe: its central state belongs to the central node.
 */
public final class Saga implements Algorithm<LinearData, double[], Saga.Step> {
    private final Minibatch settings;
    private double[] w;
    private double[][] tables;
    private double[] tableSum;
    private double eta;

    /**
     * One worker's answer.
     *
     * @param change the minibatch's {@code Σ (new − old) xᵢ}
     * @param rows   the minibatch's rows
     * @param table  the worker's table sum {@code Σ tableᵢ xᵢ} after the step
     */
    public record Step(double[] change, int rows, double[] table) {
    }

    /** SAGA with {@link Minibatch#DEFAULT}. */
    public Saga() {
        this(Minibatch.DEFAULT);
    }

    /** SAGA with these settings. */
    public Saga(Minibatch settings) {
        this.settings = settings;
    }

    @Override
    public Class<double[]> queryType() {
        return double[].class;
    }

    @Override
    public Class<Step> answerType() {
        return Step.class;
    }

    @Override
    public double[] init(LinearData problem) {
        w = new double[problem.width()];
        tables = new double[problem.shares()][];
        tableSum = new double[problem.width()];
        double[] l = problem.smoothness();
        int m = problem.batchRows(settings.batch());
        eta = settings.step() > 0 ? settings.step() : 1 / (4 * (l[0] + l[1] / m + problem.lambda()));
        return w.clone();
    }

    @Override
    public Step step(double[] query, LinearData share) {
        int[] rows = share.sample(share.batchRows(settings.batch()));
        double[] change = new double[query.length];
        double[] table = share.sagaStep(rows, query, change);
        return new Step(change, rows.length, table);
    }

    @Override
    public double[] central(Answer<Step> answer, LinearData problem) {
        descend(answer.value().change(), answer.value().rows(), settings.staleness().factor(answer.staleness()),
                tableBefore(List.of(answer)), problem);
        updateTable(answer);
        return w.clone();
    }

    @Override
    public double[] central(List<Answer<Step>> answers, LinearData problem) {
        // Late answers of a quorum step are weighted by the staleness rule; a synchronous step's are all fresh.
        double[] change = new double[w.length];
        int rows = 0;
        for (Answer<Step> a : answers) {
            double factor = settings.staleness().factor(a.staleness());
            if (factor > 0) {
                for (int j = 0; j < change.length; j++) {
                    change[j] += factor * a.value().change()[j];
                }
                rows += a.value().rows();
            }
        }
        if (rows > 0) {
            descend(change, rows, 1, tableBefore(answers), problem);
        }
        answers.forEach(this::updateTable);
        return w.clone();
    }

    /**
     * The table sum the answering workers computed their changes against: each one's table before its step
     * ({@code table − change}) in place of what was last heard from it, so that the step stays unbiased even when
     * that differs (a replacement worker starting from an empty table, an answer that was not applied).
     */
    private double[] tableBefore(List<Answer<Step>> answers) {
        double[] sum = tableSum.clone();
        for (Answer<Step> a : answers) {
            double[] old = tables[a.worker()];
            for (int j = 0; j < sum.length; j++) {
                sum[j] += a.value().table()[j] - a.value().change()[j] - (old == null ? 0 : old[j]);
            }
        }
        return sum;
    }

    private void descend(double[] change, int rows, double factor, double[] table, LinearData problem) {
        if (factor == 0) {
            return;
        }
        double n = problem.totalRows();
        for (int j = 0; j < w.length; j++) {
            w[j] -= factor * eta * (change[j] / rows + table[j] / n + problem.lambda() * w[j]);
        }
    }

    private void updateTable(Answer<Step> answer) {
        double[] next = answer.value().table();
        double[] old = tables[answer.worker()];
        for (int j = 0; j < tableSum.length; j++) {
            tableSum[j] += next[j] - (old == null ? 0 : old[j]);
        }
        tables[answer.worker()] = next;
    }

    /** The objective F(w) over all rows. */
    @Override
    public double metric(double[] query, LinearData problem) {
        return problem.objective(query);
    }
}
